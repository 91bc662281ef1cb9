public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Storage
import Synchronization

/// Applies the schema migrations at start (as a service, so the HTTP server answers probes meanwhile)
/// and for `tumulte migrate`.
public final class DatabaseMigration: Service {
    private let client: PostgresClient
    private let logger: Logger
    private let applied = Atomic<Bool>(false)

    /// Creates the service for `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Whether the schema is known to be up to date; the readiness probe needs it.
    public var isApplied: Bool { self.applied.load(ordering: .acquiring) }

    /// Migrates, retrying while PostgreSQL is unreachable, then stays up until shutdown.
    /// Throws (ending the daemon) only on a schema problem: an edited or unknown migration.
    public func run() async throws {
        do {
            try await Self.migrateUntilApplied(client: self.client, logger: self.logger)
        } catch is CancellationError {
            return
        }
        self.applied.store(true, ordering: .releasing)
        try? await gracefulShutdown()
    }

    /// Applies pending migrations once, failing if PostgreSQL cannot be reached.
    public static func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await Migrator().migrate(client: client, logger: logger)
    }

    /// Applies pending migrations, retrying with capped backoff while PostgreSQL is unreachable.
    static func migrateUntilApplied(client: PostgresClient, logger: Logger) async throws {
        var delay = Duration.milliseconds(500)
        while true {
            do {
                let applied = try await self.migrate(client: client, logger: logger)
                logger.info("database schema up to date", metadata: ["db.migrations.applied": "\(applied.count)"])
                return
            } catch let error as StorageError {
                logger.critical("database schema problem", metadata: ["db.error": "\(error)"])
                throw error
            } catch {
                try Task.checkCancellation()
                if Task.isShuttingDownGracefully { throw CancellationError() }
                logger.warning(
                    "database unreachable; migrations will be retried",
                    metadata: ["db.error": "\(String(reflecting: error))", "db.retry_in": "\(delay)"]
                )
                let wait = delay
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: wait)
                }
                delay = min(delay * 2, .seconds(10))
            }
        }
    }
}
