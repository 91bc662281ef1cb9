public import Foundation
public import Logging
public import PostgresNIO

/// The `twitch_tokens` table: one row of sealed tokens per connected channel. It never sees a token in clear.
public struct TwitchTokenStore: Sendable {
    private let client: PostgresClient
    private let logger: Logger

    /// Creates a store over a running client whose schema is migrated.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a channel's tokens, replacing any it had, in one statement (a rotated refresh token never lands
    /// without its access token).
    public func save(_ row: TwitchTokenRow) async throws {
        try await self.client.query(
            """
            INSERT INTO twitch_tokens (channel_id, access_token_enc, refresh_token_enc, key_id, scopes, expires_at)
            VALUES (\(row.channelID), \(Data(row.accessToken)), \(row.refreshToken.map { Data($0) }), \(row.keyID),
                \(row.scopes), \(row.expiresAt))
            ON CONFLICT (channel_id) DO UPDATE SET access_token_enc = EXCLUDED.access_token_enc,
                refresh_token_enc = EXCLUDED.refresh_token_enc, key_id = EXCLUDED.key_id, scopes = EXCLUDED.scopes,
                expires_at = EXCLUDED.expires_at, updated_at = now()
            """,
            logger: self.logger
        )
    }

    /// The tokens of one channel, if it has any.
    public func row(channelID: UUID) async throws -> TwitchTokenRow? {
        try await self.select("WHERE channel_id = \(channelID)").first
    }

    /// Up to `limit` rows sealed under a key other than `keyID`, by channel id from after `after`, for re-sealing
    /// after a key change.
    public func rows(notSealedUnder keyID: String, after: UUID?, limit: Int) async throws -> [TwitchTokenRow] {
        if let after {
            return try await self.select("WHERE key_id <> \(keyID) AND channel_id > \(after) ORDER BY channel_id LIMIT \(limit)")
        }
        return try await self.select("WHERE key_id <> \(keyID) ORDER BY channel_id LIMIT \(limit)")
    }

    /// Replaces a row's sealed tokens if they are still sealed under `previousKeyID` (a refresh that stored new
    /// tokens in the meantime wins). Returns whether the row was replaced.
    public func reseal(_ row: TwitchTokenRow, previousKeyID: String) async throws -> Bool {
        let rows = try await self.client.query(
            """
            UPDATE twitch_tokens SET access_token_enc = \(Data(row.accessToken)),
                refresh_token_enc = \(row.refreshToken.map { Data($0) }), key_id = \(row.keyID)
            WHERE channel_id = \(row.channelID) AND key_id = \(previousKeyID)
            RETURNING channel_id
            """,
            logger: self.logger
        )
        for try await _ in rows { return true }
        return false
    }

    // MARK: Bot account

    /// The row id under which the bot's tokens are sealed (they have no channel).
    public static let botRowID = UUID(uuidString: "00000000-0000-0000-0000-00000000b07b")!

    /// Stores the bot account and its sealed tokens (`row.channelID` is ``botRowID``), replacing any earlier bot.
    public func saveBot(login: String, userID: String, row: TwitchTokenRow) async throws {
        try await self.client.query(
            """
            INSERT INTO twitch_bot (id, twitch_user_id, login, access_token_enc, refresh_token_enc, key_id, scopes, expires_at)
            VALUES (1, \(userID), \(login), \(Data(row.accessToken)), \(row.refreshToken.map { Data($0) }), \(row.keyID), \(row.scopes),
                \(row.expiresAt))
            ON CONFLICT (id) DO UPDATE SET twitch_user_id = EXCLUDED.twitch_user_id, login = EXCLUDED.login,
                access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
                key_id = EXCLUDED.key_id, scopes = EXCLUDED.scopes, expires_at = EXCLUDED.expires_at, needs_reauth = false,
                updated_at = now()
            """,
            logger: self.logger
        )
    }

    /// Replaces the bot's tokens (a refresh), keeping the account.
    public func saveBotTokens(_ row: TwitchTokenRow) async throws {
        try await self.client.query(
            """
            UPDATE twitch_bot SET access_token_enc = \(Data(row.accessToken)), refresh_token_enc = \(row.refreshToken.map { Data($0) }),
                key_id = \(row.keyID), scopes = \(row.scopes), expires_at = \(row.expiresAt), updated_at = now()
            WHERE id = 1
            """,
            logger: self.logger
        )
    }

    /// The bot account: login, user id, whether it needs a new connection, and its sealed tokens.
    public func bot() async throws -> (login: String, userID: String, needsReauth: Bool, row: TwitchTokenRow)? {
        let rows = try await self.client.query(
            """
            SELECT login, twitch_user_id, needs_reauth, key_id, access_token_enc, refresh_token_enc, scopes, expires_at
            FROM twitch_bot WHERE id = 1
            """,
            logger: self.logger
        )
        for try await (login, userID, needsReauth, keyID, access, refresh, scopes, expiresAt) in rows.decode(
            (String, String, Bool, String, Data, Data?, [String], Date?).self
        ) {
            let row = TwitchTokenRow(
                channelID: Self.botRowID,
                keyID: keyID,
                accessToken: Array(access),
                refreshToken: refresh.map { Array($0) },
                scopes: scopes,
                expiresAt: expiresAt
            )
            return (login, userID, needsReauth, row)
        }
        return nil
    }

    /// Re-seals the bot's tokens if still sealed under `previousKeyID`.
    public func resealBot(_ row: TwitchTokenRow, previousKeyID: String) async throws -> Bool {
        let rows = try await self.client.query(
            """
            UPDATE twitch_bot SET access_token_enc = \(Data(row.accessToken)), refresh_token_enc = \(row.refreshToken.map { Data($0) }),
                key_id = \(row.keyID)
            WHERE id = 1 AND key_id = \(previousKeyID) RETURNING id
            """,
            logger: self.logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Sets or clears the bot's `needs_reauth` mark.
    public func setBotNeedsReauth(_ needsReauth: Bool) async throws {
        try await self.client.query("UPDATE twitch_bot SET needs_reauth = \(needsReauth) WHERE id = 1", logger: self.logger)
    }

    /// The number of rows sealed under each key identifier.
    public func keyUsage() async throws -> [String: Int] {
        let rows = try await self.client.query("SELECT key_id, count(*)::bigint FROM twitch_tokens GROUP BY key_id", logger: self.logger)
        var usage: [String: Int] = [:]
        for try await (keyID, count) in rows.decode((String, Int64).self) { usage[keyID] = Int(count) }
        return usage
    }

    private func select(_ condition: PostgresQuery) async throws -> [TwitchTokenRow] {
        var query = PostgresQuery(
            unsafeSQL: "SELECT channel_id, key_id, access_token_enc, refresh_token_enc, scopes, expires_at FROM twitch_tokens "
        )
        query.sql += condition.sql
        query.binds = condition.binds
        let rows = try await self.client.query(query, logger: self.logger)
        var result: [TwitchTokenRow] = []
        for try await (channelID, keyID, access, refresh, scopes, expiresAt) in rows.decode(
            (UUID, String, Data, Data?, [String], Date?).self
        ) {
            result.append(
                TwitchTokenRow(
                    channelID: channelID,
                    keyID: keyID,
                    accessToken: Array(access),
                    refreshToken: refresh.map { Array($0) },
                    scopes: scopes,
                    expiresAt: expiresAt
                )
            )
        }
        return result
    }
}
