import Logging
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct MigratorTests {
    private static func tables(_ client: PostgresClient, schema: String) async throws -> Set<String> {
        let rows = try await client.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema)")
        var names: Set<String> = []
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    private static func recorded(_ client: PostgresClient) async throws -> [Int] {
        let rows = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
        var versions: [Int] = []
        for try await version in rows.decode(Int.self) { versions.append(version) }
        return versions
    }

    @Test("applies every migration once, records it, and never re-applies it")
    func appliesOnce() async throws {
        try await TestServices.withIsolatedSchema { client, schema in
            let logger = TestServices.quietLogger
            let first = try await Migrator().migrate(client: client, logger: logger)
            #expect(first == Migration.all.map(\.version))
            let tables = try await Self.tables(client, schema: schema)
            #expect(tables.isSuperset(of: ["schema_migrations", "channels", "twitch_tokens", "polls", "poll_channels", "api_keys"]))
            let second = try await Migrator().migrate(client: client, logger: logger)
            #expect(second.isEmpty)
            #expect(try await Self.recorded(client) == Migration.all.map(\.version))
        }
    }

    @Test("two instances migrating at once apply each migration exactly once")
    func concurrentStart() async throws {
        try await TestServices.withIsolatedSchema { client, schema in
            let other = PostgresClient(
                configuration: TestServices.postgresConfiguration(searchPath: schema),
                backgroundLogger: TestServices.quietLogger
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await other.run() }
                defer { group.cancelAll() }
                async let a = Migrator().migrate(client: client, logger: TestServices.quietLogger)
                async let b = Migrator().migrate(client: other, logger: TestServices.quietLogger)
                let (applied1, applied2) = try await (a, b)
                #expect((applied1 + applied2).sorted() == Migration.all.map(\.version))
                #expect(try await Self.recorded(client) == Migration.all.map(\.version))
            }
        }
    }

    @Test("a migration edited after it was applied stops the migrator with migration_changed")
    func editedMigration() async throws {
        try await TestServices.withIsolatedSchema { client, _ in
            let original = Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id int)"])
            _ = try await Migrator(migrations: [original]).migrate(client: client, logger: TestServices.quietLogger)
            let edited = Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id bigint)"])
            let error = await #expect(throws: StorageError.self) {
                try await Migrator(migrations: [edited]).migrate(client: client, logger: TestServices.quietLogger)
            }
            #expect(error?.code == .migrationChanged)
        }
    }

    @Test("a database migrated by a newer build is refused with unknown_migration")
    func newerDatabase() async throws {
        try await TestServices.withIsolatedSchema { client, _ in
            let one = Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id int)"])
            let two = Migration(version: 2, name: "two", statements: ["CREATE TABLE two (id int)"])
            _ = try await Migrator(migrations: [one, two]).migrate(client: client, logger: TestServices.quietLogger)
            let error = await #expect(throws: StorageError.self) {
                try await Migrator(migrations: [one]).migrate(client: client, logger: TestServices.quietLogger)
            }
            #expect(error?.code == .unknownMigration)
        }
    }

    @Test("a failing migration rolls back entirely and is not recorded")
    func failingMigration() async throws {
        try await TestServices.withIsolatedSchema { client, schema in
            let broken = Migration(version: 1, name: "broken", statements: ["CREATE TABLE half (id int)", "THIS IS NOT SQL"])
            await #expect(throws: (any Error).self) {
                try await Migrator(migrations: [broken]).migrate(client: client, logger: TestServices.quietLogger)
            }
            let tables = try await Self.tables(client, schema: schema)
            #expect(!tables.contains("half"))
            #expect(try await Self.recorded(client).isEmpty)
        }
    }

    @Test("the initial schema enforces the poll contract: title length, option count, status values")
    func constraints() async throws {
        try await TestServices.withIsolatedSchema { client, _ in
            _ = try await Migrator().migrate(client: client, logger: TestServices.quietLogger)
            await #expect(throws: (any Error).self) {
                try await client.query(
                    """
                    INSERT INTO polls (id, title, options, duration_seconds, vote_rule, status, started_at, ends_at)
                    VALUES (gen_random_uuid(), '', ARRAY['a','b'], 60, 'unique', 'running', now(), now())
                    """
                )
            }
            await #expect(throws: (any Error).self) {
                try await client.query(
                    """
                    INSERT INTO polls (id, title, options, duration_seconds, vote_rule, status, started_at, ends_at)
                    VALUES (gen_random_uuid(), 'ok', ARRAY['a'], 60, 'unique', 'running', now(), now())
                    """
                )
            }
            await #expect(throws: (any Error).self) {
                try await client.query(
                    """
                    INSERT INTO polls (id, title, options, duration_seconds, vote_rule, status, started_at, ends_at)
                    VALUES (gen_random_uuid(), 'ok', ARRAY['a','b'], 60, 'unique', 'paused', now(), now())
                    """
                )
            }
            try await client.query(
                """
                INSERT INTO polls (id, title, options, duration_seconds, vote_rule, status, started_at, ends_at)
                VALUES (gen_random_uuid(), 'ok', ARRAY['a','b'], 60, 'unique', 'running', now(), now())
                """
            )
        }
    }

    @Test("checksums are stable and change with the statements")
    func checksum() {
        let a = Migration(version: 1, name: "a", statements: ["SELECT 1", "SELECT 2"])
        let b = Migration(version: 1, name: "a", statements: ["SELECT 1", "SELECT 2"])
        let c = Migration(version: 1, name: "a", statements: ["SELECT 1SELECT 2"])
        #expect(a.checksum == b.checksum)
        #expect(a.checksum != c.checksum)
        #expect(a.checksum.count == 16)
    }
}
