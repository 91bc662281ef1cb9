import Daemon
import PostgresNIO

extension CommandEnvironment {
    /// Runs `body` with a running PostgreSQL client on the configured database, migrated first so a fresh database works.
    func withDatabase<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: self.configuration.database.postgresConfiguration, backgroundLogger: self.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            _ = try await DatabaseMigration.migrate(client: client, logger: self.logger)
            return try await body(client)
        }
    }
}
