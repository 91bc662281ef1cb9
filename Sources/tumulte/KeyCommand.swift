import ArgumentParser
import Daemon

/// `tumulte key …`: application key tools.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Application key tools.",
        subcommands: [Generate.self]
    )

    /// `tumulte key generate`: prints a fresh APP_KEY.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a fresh APP_KEY (32 random bytes, base64)."
        )

        func run() {
            print(AppKey.generate().text)
        }
    }
}
