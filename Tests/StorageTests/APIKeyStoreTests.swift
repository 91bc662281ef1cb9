import Foundation
import Logging
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct APIKeyStoreTests {
    /// Runs `body` with a store on a freshly migrated schema.
    private static func withStore(
        lastUsedInterval: Duration = .seconds(60),
        _ body: @Sendable (APIKeyStore, PostgresClient) async throws -> Void
    ) async throws {
        try await TestServices.withIsolatedSchema { client, _ in
            _ = try await Migrator().migrate(client: client, logger: TestServices.quietLogger)
            try await body(APIKeyStore(client: client, logger: TestServices.quietLogger, lastUsedInterval: lastUsedInterval), client)
        }
    }

    private static func lastUsedAt(_ client: PostgresClient, id: UUID) async throws -> Date? {
        let rows = try await client.query("SELECT last_used_at FROM api_keys WHERE id = \(id)")
        for try await value in rows.decode(Date?.self) { return value }
        Issue.record("no row for \(id)")
        return nil
    }

    @Test("create returns a tml_ key of 256 random bits; list shows the record and never the key")
    func createAndList() async throws {
        try await Self.withStore { store, _ in
            let created = try await store.create(name: "  table one  ")
            #expect(created.key.hasPrefix("tml_"))
            let encoded = String(created.key.dropFirst(4))
            #expect(encoded.count == 43)
            #expect(encoded.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(created.record.name == "table one")
            #expect(created.record.lastUsedAt == nil && created.record.revokedAt == nil)
            let other = try await store.create(name: "table two")
            #expect(other.key != created.key)
            let listed = try await store.list()
            #expect(listed.map(\.id) == [created.id, other.id])
            #expect(listed.first == created.record)
        }
    }

    @Test("an empty or over-long name is refused with invalid_api_key_name")
    func badNames() async throws {
        try await Self.withStore { store, _ in
            for name in ["", "   ", String(repeating: "x", count: 101)] {
                let error = await #expect(throws: StorageError.self) { try await store.create(name: name) }
                #expect(error?.code == .invalidAPIKeyName)
            }
            _ = try await store.create(name: String(repeating: "x", count: 100))
        }
    }

    @Test("the key is never stored in clear: no column of the row holds it, key_hash is its SHA-256")
    func onlyHashStored() async throws {
        try await Self.withStore { store, client in
            let created = try await store.create(name: "ci")
            let rows = try await client.query("SELECT row_to_json(k)::text, encode(key_hash, 'hex') FROM api_keys k")
            var seen = 0
            for try await (json, hex) in rows.decode((String, String).self) {
                seen += 1
                #expect(!json.contains(created.key))
                #expect(!json.contains(String(created.key.dropFirst(4))))
                #expect(hex.count == 64)
                #expect(!hex.contains(Data(created.key.utf8).map { String(format: "%02x", $0) }.joined()))
            }
            #expect(seen == 1)
        }
    }

    @Test("authenticate: unknown, malformed, valid, then revoked")
    func authenticate() async throws {
        try await Self.withStore { store, _ in
            let created = try await store.create(name: "gm")
            #expect(try await store.authenticate(key: "tml_" + String(repeating: "A", count: 43)) == .unknown)
            #expect(try await store.authenticate(key: "not-a-key") == .unknown)
            #expect(try await store.authenticate(key: "") == .unknown)
            #expect(try await store.authenticate(key: "tml_" + String(repeating: "A", count: 10_000)) == .unknown)
            guard case .valid(let record) = try await store.authenticate(key: created.key) else {
                Issue.record("expected a valid key")
                return
            }
            #expect(record.id == created.id && record.name == "gm")
            let revoked = try await store.revoke(idOrName: created.id.uuidString)
            #expect(revoked.revokedAt != nil)
            guard case .revoked(let after) = try await store.authenticate(key: created.key) else {
                Issue.record("expected a revoked key")
                return
            }
            #expect(after.id == created.id)
        }
    }

    @Test("revoke by id or name is idempotent; unknown and ambiguous names are clear errors")
    func revoke() async throws {
        try await Self.withStore { store, _ in
            let first = try await store.create(name: "ci")
            let byName = try await store.revoke(idOrName: "ci")
            #expect(byName.id == first.id)
            let again = try await store.revoke(idOrName: first.id.uuidString.lowercased())
            #expect(again.revokedAt == byName.revokedAt)
            // A new key with a revoked key's name: the name now means the unrevoked one.
            let second = try await store.create(name: "ci")
            #expect(try await store.revoke(idOrName: "ci").id == second.id)
            // Both revoked: the name still resolves (idempotent), to the latest revoked.
            #expect(try await store.revoke(idOrName: "ci").id == second.id)

            let unknown = await #expect(throws: StorageError.self) { try await store.revoke(idOrName: "nobody") }
            #expect(unknown?.code == .apiKeyNotFound)
            let unknownID = await #expect(throws: StorageError.self) { try await store.revoke(idOrName: UUID().uuidString) }
            #expect(unknownID?.code == .apiKeyNotFound)

            _ = try await store.create(name: "twin")
            _ = try await store.create(name: "twin")
            let ambiguous = await #expect(throws: StorageError.self) { try await store.revoke(idOrName: "twin") }
            #expect(ambiguous?.code == .apiKeyNameAmbiguous)
            #expect(try await store.list().filter { $0.name == "twin" }.allSatisfy { !$0.isRevoked })
        }
    }

    @Test("last_used_at is set on first use, then written at most once per interval")
    func lastUsedThrottling() async throws {
        try await Self.withStore { store, client in
            let created = try await store.create(name: "gm")
            #expect(try await Self.lastUsedAt(client, id: created.id) == nil)
            _ = try await store.authenticate(key: created.key)
            let first = try #require(try await Self.lastUsedAt(client, id: created.id))
            for _ in 0..<5 {
                _ = try await store.authenticate(key: created.key)
            }
            #expect(try await Self.lastUsedAt(client, id: created.id) == first)

            // Age the stamp past the interval: the next use writes again.
            try await client.query("UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE id = \(created.id)")
            let aged = try #require(try await Self.lastUsedAt(client, id: created.id))
            _ = try await store.authenticate(key: created.key)
            let bumped = try #require(try await Self.lastUsedAt(client, id: created.id))
            #expect(bumped > aged.addingTimeInterval(60))

            // 59 seconds old: still fresh, no write.
            try await client.query("UPDATE api_keys SET last_used_at = now() - interval '59 seconds' WHERE id = \(created.id)")
            let fresh = try #require(try await Self.lastUsedAt(client, id: created.id))
            _ = try await store.authenticate(key: created.key)
            #expect(try await Self.lastUsedAt(client, id: created.id) == fresh)
        }
    }

    @Test("a revoked key's use is not recorded")
    func revokedNotBumped() async throws {
        try await Self.withStore { store, client in
            let created = try await store.create(name: "gm")
            try await store.revoke(idOrName: "gm")
            _ = try await store.authenticate(key: created.key)
            #expect(try await Self.lastUsedAt(client, id: created.id) == nil)
        }
    }
}
