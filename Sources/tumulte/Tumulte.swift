import ArgumentParser
import Daemon

/// The `tumulte` command: argument parsing only; the work lives in the Daemon module.
@main
struct Tumulte: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tumulte",
        abstract: "Run one poll across many Twitch channels: chat and native votes counted once, live overlays, results kept.",
        version: TumulteVersion.current,
        subcommands: [
            ServeCommand.self, DemoCommand.self, MigrateCommand.self, APIKeyCommand.self, ChannelCommand.self, PollCommand.self,
            KeyCommand.self,
        ]
    )
}
