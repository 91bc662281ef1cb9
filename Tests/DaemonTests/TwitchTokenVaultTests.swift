import Daemon
import EventSub
import Foundation
import Logging
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Twitch tokens in PostgreSQL: sealed on write, opened on read, re-sealed by a key rotation, and absent in clear
/// from a dump of the database.
@Suite struct TwitchTokenVaultTests {
    /// Runs `body` with a migrated schema, three channels and the client.
    private static func withChannels(_ body: @Sendable (PostgresClient, String, [UUID]) async throws -> Void) async throws {
        try await TestServices.withIsolatedSchema { client, schema in
            _ = try await Migrator().migrate(client: client, logger: TestServices.quietLogger)
            var ids: [UUID] = []
            for login in ["alpha_gm", "beta_gm", "gamma_gm"] {
                let rows = try await client.query("INSERT INTO channels (login) VALUES (\(login)) RETURNING id")
                for try await id in rows.decode(UUID.self) { ids.append(id) }
            }
            try await body(client, schema, ids)
        }
    }

    private static func vault(_ client: PostgresClient, current: AppKey, previous: [AppKey] = []) -> TwitchTokenVault {
        TwitchTokenVault(
            cipher: TwitchTokenVault.cipher(current: current, previous: previous),
            store: TwitchTokenStore(client: client, logger: TestServices.quietLogger)
        )
    }

    private static func tokens(_ index: Int) -> TwitchTokens {
        TwitchTokens(
            accessToken: "acc\(index)-\(UUID().uuidString)",
            refreshToken: index == 2 ? nil : "ref\(index)-\(UUID().uuidString)",
            scopes: ["channel:read:polls", "channel:manage:polls"],
            expiresAt: Date(timeIntervalSince1970: 1_900_000_000 + Double(index))
        )
    }

    @Test("tokens round-trip; a second save replaces both tokens in one row")
    func roundTrip() async throws {
        try await Self.withChannels { client, _, ids in
            let vault = Self.vault(client, current: AppKey.generate())
            let first = Self.tokens(0)
            try await vault.save(first, channelID: ids[0])
            #expect(try await vault.tokens(channelID: ids[0]) == first)
            #expect(try await vault.tokens(channelID: ids[1]) == nil)
            let refreshed = Self.tokens(1)
            try await vault.save(refreshed, channelID: ids[0])
            #expect(try await vault.tokens(channelID: ids[0]) == refreshed)
        }
    }

    @Test("a dump of the database holds no token in clear, only the sealed bytes")
    func dumpHoldsNoToken() async throws {
        try await Self.withChannels { client, schema, ids in
            let vault = Self.vault(client, current: AppKey.generate())
            let saved = (0..<3).map(Self.tokens)
            for (tokens, id) in zip(saved, ids) { try await vault.save(tokens, channelID: id) }
            let dump = try ChildProcess(
                PostgresServerProcess.binary("pg_dump"),
                [
                    "--host", TestServices.postgresHost, "--port", "\(TestServices.postgresPort)",
                    "--username", TestServices.postgresUser, "--schema", schema, "--data-only", "--inserts",
                    TestServices.postgresDatabase,
                ],
                environment: ["PGPASSWORD": TestServices.postgresPassword]
            )
            #expect(try await dump.waitForExit(timeout: .seconds(60)) == 0)
            let text = dump.output.joined(separator: "\n")
            // The dump does hold the three rows, with their sealed bytes.
            #expect(text.components(separatedBy: "INSERT INTO \(schema).twitch_tokens").count == 4)
            for tokens in saved {
                #expect(!text.contains(tokens.accessToken))
                if let refresh = tokens.refreshToken { #expect(!text.contains(refresh)) }
            }
        }
    }

    @Test("after APP_KEY changes, the old key in APP_PREVIOUS_KEYS still opens; rotate re-seals every row once")
    func rotation() async throws {
        try await Self.withChannels { client, _, ids in
            let (old, new) = (AppKey.generate(), AppKey.generate())
            let before = Self.vault(client, current: old)
            let saved = (0..<3).map(Self.tokens)
            for (tokens, id) in zip(saved, ids) { try await before.save(tokens, channelID: id) }
            let bot = Self.tokens(7)
            try await before.saveBot(bot, login: "tumulte_bot", userID: "424242")

            let unaware = Self.vault(client, current: new)
            let error = await #expect(throws: TokenCipherError.self) { try await unaware.tokens(channelID: ids[0]) }
            #expect(error?.code == .unknownKey)
            #expect(try await unaware.rotate() == .init(resealed: 0, changedMeanwhile: 0, unreadable: ["unknown_key": 4]))

            let rotating = Self.vault(client, current: new, previous: [old])
            #expect(try await rotating.tokens(channelID: ids[1]) == saved[1])
            #expect(try await rotating.rotate(batchSize: 2) == .init(resealed: 4))
            #expect(try await rotating.rotate() == .init())
            let usage = try await TwitchTokenStore(client: client, logger: TestServices.quietLogger).keyUsage()
            #expect(usage == [TokenCipher.keyID(of: new.bytes): 3])
            // The old key is no longer needed.
            for (tokens, id) in zip(saved, ids) { #expect(try await unaware.tokens(channelID: id) == tokens) }
            let reopened = try await unaware.bot()
            #expect(reopened?.tokens == bot && reopened?.login == "tumulte_bot")
        }
    }
}
