public import Logging
public import PostgresNIO

/// Applies the versioned schema migrations, once each, safely when several instances start together.
///
/// A session-level advisory lock serialises concurrent migrators; applied versions are recorded in
/// `schema_migrations` with a checksum, so an edited migration stops start-up instead of drifting.
public struct Migrator: Sendable {
    /// Advisory lock key shared by every tumulte instance ("tumulte" in ASCII).
    static let advisoryLockKey: Int64 = 0x74_75_6d_75_6c_74_65

    private let migrations: [Migration]

    /// Creates a migrator for the given migrations (all of this build by default).
    public init(migrations: [Migration] = Migration.all) {
        precondition(
            zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version },
            "migration versions must be strictly increasing"
        )
        self.migrations = migrations
    }

    /// Applies every pending migration and returns the versions it applied (empty when up to date).
    public func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await self.migrateLocked(connection: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                // The lock is session-scoped; release it so a pooled connection does not keep it.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func migrateLocked(connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var recorded: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) {
            recorded[version] = checksum
        }
        let known = Set(self.migrations.map(\.version))
        if let unknown = recorded.keys.filter({ !known.contains($0) }).max() {
            throw StorageError(.unknownMigration, "the database has migration \(unknown), which this build does not know; run a newer tumulte")
        }
        var applied: [Int] = []
        for migration in self.migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw StorageError(.migrationChanged, "migration \(migration.version) (\(migration.name)) was changed after it was applied")
                }
                continue
            }
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                    logger: logger
                )
            }
            logger.info(
                "migration applied",
                metadata: ["db.migration.version": "\(migration.version)", "db.migration.name": "\(migration.name)"]
            )
            applied.append(migration.version)
        }
        return applied
    }
}
