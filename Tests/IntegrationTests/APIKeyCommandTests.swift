import Foundation
import PostgresNIO
import TestSupport
import Testing

/// `tumulte apikey create|list|revoke` as processes against the shared PostgreSQL.
@Suite struct APIKeyCommandTests {
    private static var database: [String: String] {
        [
            "APP_ENV": "test", "DB_HOST": TestServices.postgresHost, "DB_PORT": "\(TestServices.postgresPort)",
            "DB_USER": TestServices.postgresUser, "DB_PASSWORD": TestServices.postgresPassword,
            "DB_DATABASE": TestServices.postgresDatabase, "DB_SSL": "false", "LOG_LEVEL": "warning",
        ]
    }

    /// Runs `tumulte apikey <arguments>` and returns its exit status and output lines, once a line matching `last` was read.
    ///
    /// `waitForExit` can return before the pipe is drained, so the caller names the line that ends the output it checks.
    private static func run(
        _ arguments: [String],
        until last: @escaping @Sendable (String) -> Bool
    ) async throws -> (status: Int32, output: [String]) {
        let process = try TumulteBinary.start(["apikey"] + arguments, environment: self.database)
        _ = try await process.waitForLine(timeout: .seconds(60), where: last)
        let status = try await process.waitForExit(timeout: .seconds(60))
        return (status, process.output)
    }

    private static func listed(_ id: String) async throws -> [String: Any]? {
        let list = try await self.run(["list", "--json"]) { $0.hasPrefix("[") }
        #expect(list.status == 0)
        let line = try #require(list.output.first { $0.hasPrefix("[") })
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]])
        return keys.first { $0["id"] as? String == id }
    }

    @Test("create prints the key once as JSON; list shows it without the key; revoke by name marks it; unknown names fail")
    func lifecycle() async throws {
        let name = "ci-" + UUID().uuidString.prefix(8).lowercased()
        let created = try await Self.run(["create", "--name", name, "--json"]) { $0.hasPrefix("{") }
        #expect(created.status == 0)
        let line = try #require(created.output.first { $0.hasPrefix("{") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(Set(object.keys) == ["id", "name", "key"])
        #expect(object["name"] == name)
        let id = try #require(object["id"])
        let key = try #require(object["key"])
        #expect(key.hasPrefix("tml_") && key.count == 47)

        let listed = try #require(try await Self.listed(id))
        #expect(listed["name"] as? String == name)
        #expect(listed["revokedAt"] is NSNull)
        #expect(listed["lastUsedAt"] is NSNull)
        #expect(listed["key"] == nil)

        let table = try await Self.run(["list"]) { $0.contains(id) }
        #expect(table.status == 0)
        #expect(table.output.contains { $0.contains(id) && $0.contains(name) })
        #expect(!table.output.joined().contains(key))

        let revoked = try await Self.run(["revoke", name]) { $0.hasPrefix("Revoked") }
        #expect(revoked.status == 0)
        #expect(revoked.output.contains { $0.contains("Revoked") && $0.contains(id) })
        let after = try #require(try await Self.listed(id))
        #expect(after["revokedAt"] is String)

        let unknown = try await Self.run(["revoke", name + "-missing"]) { $0.contains("no API key") }
        #expect(unknown.status == 1)
        #expect(unknown.output.contains { $0.contains("no API key") })

        try await Self.delete(id: id)
    }

    @Test("create without --json warns that the key will not be shown again")
    func createText() async throws {
        let name = "ci-" + UUID().uuidString.prefix(8).lowercased()
        let created = try await Self.run(["create", "--name", name]) { $0.contains("will not be shown again") }
        #expect(created.status == 0)
        #expect(created.output.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("tml_") })
        #expect(created.output.contains { $0.contains("will not be shown again") })
        let id = try #require(
            created.output.first { $0.hasPrefix("Created API key") }?.split(separator: "(").last?.split(separator: ")").first.map(String.init)
        )
        try await Self.delete(id: id)
    }

    /// Removes the test's key from the shared database.
    private static func delete(id: String) async throws {
        let uuid = try #require(UUID(uuidString: id))
        let client = PostgresClient(configuration: TestServices.postgresConfiguration(), backgroundLogger: TestServices.quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query("DELETE FROM api_keys WHERE id = \(uuid)")
        }
    }
}
