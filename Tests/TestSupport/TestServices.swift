import Foundation
public import Logging
public import PostgresNIO

/// Where the shared test services run: `make test` exports these; the defaults are its ports.
public enum TestServices {
    private static let environment = ProcessInfo.processInfo.environment

    /// PostgreSQL host (`POSTGRES_HOSTNAME`).
    public static var postgresHost: String { environment["POSTGRES_HOSTNAME"] ?? "127.0.0.1" }
    /// PostgreSQL port (`POSTGRES_PORT`).
    public static var postgresPort: Int { environment["POSTGRES_PORT"].flatMap(Int.init) ?? 15432 }
    /// PostgreSQL role (`POSTGRES_USER`).
    public static var postgresUser: String { environment["POSTGRES_USER"] ?? "tumulte" }
    /// PostgreSQL password (`POSTGRES_PASSWORD`).
    public static var postgresPassword: String { environment["POSTGRES_PASSWORD"] ?? "tumulte" }
    /// PostgreSQL database (`POSTGRES_DB`).
    public static var postgresDatabase: String { environment["POSTGRES_DB"] ?? "twitch_polls" }
    /// Redis host (`REDIS_HOSTNAME`).
    public static var redisHost: String { environment["REDIS_HOSTNAME"] ?? "127.0.0.1" }
    /// Redis port (`REDIS_PORT`).
    public static var redisPort: Int { environment["REDIS_PORT"].flatMap(Int.init) ?? 16379 }

    /// A logger that drops everything below warning, for clients under test.
    public static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// Client configuration for the shared PostgreSQL, optionally confined to one schema.
    public static func postgresConfiguration(searchPath schema: String? = nil) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: postgresHost,
            port: postgresPort,
            username: postgresUser,
            password: postgresPassword,
            database: postgresDatabase,
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(3)
        if let schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }

    /// Runs `body` with a running client on a fresh schema of the shared PostgreSQL, dropped afterwards.
    public static func withIsolatedSchema<T: Sendable>(
        _ body: @Sendable (_ client: PostgresClient, _ schema: String) async throws -> T
    ) async throws -> T {
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = PostgresClient(configuration: postgresConfiguration(), backgroundLogger: quietLogger)
        let client = PostgresClient(configuration: postgresConfiguration(searchPath: schema), backgroundLogger: quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
            do {
                let result = try await body(client, schema)
                try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
                return result
            } catch {
                _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
                throw error
            }
        }
    }
}
