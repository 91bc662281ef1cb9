import ArgumentParser
import Daemon
import PostgresNIO

/// `tumulte migrate`: applies pending schema migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending PostgreSQL migrations (also done by `serve` at start)."
    )

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        let environment = try await CommandEnvironment.load(settings: self.settings)
        try await environment.runReportingErrors {
            let client = PostgresClient(
                configuration: environment.configuration.database.postgresConfiguration,
                backgroundLogger: environment.logger
            )
            let applied = try await withThrowingTaskGroup(of: [Int]?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                return try await DatabaseMigration.migrate(client: client, logger: environment.logger)
            }
            print(applied.isEmpty ? "Schema up to date." : "Applied migrations: \(applied.map(String.init).joined(separator: ", ")).")
        }
    }
}
