import ArgumentParser
import Daemon

/// `tumulte serve`: the daemon in the foreground.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon until SIGTERM or SIGINT.",
        discussion: """
            Settings come from --flags, then the environment, then a .env file in the current folder. \
            Every variable can be given as a flag: PORT as --port 3000, DB_HOST as --db-host db.internal. \
            See the README for the whole list.
            """
    )

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        let environment = try await CommandEnvironment.load(settings: self.settings)
        try await environment.runReportingErrors {
            try await TumulteServer(
                configuration: environment.configuration,
                registry: environment.registry,
                logger: environment.logger
            ).run()
        }
    }
}
