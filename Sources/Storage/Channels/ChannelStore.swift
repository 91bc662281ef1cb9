public import Core
public import Foundation
public import Logging
public import PostgresNIO

/// The `channels` table: channels added by the GM, their overlay tokens, and soft removal (their poll history stays).
public struct ChannelStore: Sendable {
    private let client: PostgresClient
    private let tokens: OverlayTokens
    private let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running PostgreSQL client whose schema is migrated.
    ///   - tokens: Derives overlay tokens from their nonces.
    ///   - logger: The logger for the queries.
    public init(client: PostgresClient, tokens: OverlayTokens, logger: Logger) {
        self.client = client
        self.tokens = tokens
        self.logger = logger
    }

    private static let columns = """
        c.id, c.login, c.display_name, c.twitch_user_id, c.overlay_token_nonce, c.created_at,
        EXISTS (SELECT 1 FROM twitch_tokens t WHERE t.channel_id = c.id), c.broadcaster_type, c.needs_reauth
        """

    /// Adds a channel, or brings back a removed one with a fresh overlay token.
    /// - Returns: The channel, and whether it was added by this call (false when it was already there).
    public func add(_ login: ChannelLogin) async throws -> (channel: ChannelRecord, added: Bool) {
        let nonce = OverlayTokens.newNonce()
        let hash = OverlayTokens.hash(self.tokens.token(nonce: nonce))
        let rows = try await self.client.query(
            """
            INSERT INTO channels AS c (login, overlay_token_nonce, overlay_token_hash, overlay_token_rotated_at)
            VALUES (\(login.value), \(nonce), \(hash), now())
            ON CONFLICT (login) DO UPDATE SET removed_at = NULL, overlay_token_nonce = EXCLUDED.overlay_token_nonce,
                overlay_token_hash = EXCLUDED.overlay_token_hash, overlay_token_rotated_at = now(), updated_at = now()
            WHERE c.removed_at IS NOT NULL OR c.overlay_token_nonce IS NULL
            RETURNING id
            """,
            logger: self.logger
        )
        var added = false
        for try await _ in rows { added = true }
        guard let channel = try await self.channel(login) else {
            throw StorageError(.databaseUnavailable, "channel \(login) vanished while being added")
        }
        if added { self.logger.info("channel added", metadata: ["twitch.channel": "\(login)"]) }
        return (channel, added)
    }

    /// The active (not removed) channel with this login.
    public func channel(_ login: ChannelLogin) async throws -> ChannelRecord? {
        try await self.select("WHERE c.login = \(login.value) AND c.removed_at IS NULL").first
    }

    /// Every active channel, by login.
    public func list() async throws -> [ChannelRecord] {
        try await self.select("WHERE c.removed_at IS NULL ORDER BY c.login")
    }

    /// The active channels among `logins`, keyed by login.
    public func channels(_ logins: [ChannelLogin]) async throws -> [ChannelLogin: ChannelRecord] {
        let values = logins.map(\.value)
        let found = try await self.select("WHERE c.login = ANY(\(values)) AND c.removed_at IS NULL")
        return Dictionary(found.map { ($0.login, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The active channel whose overlay token is `token`; nil for an unknown, rotated or malformed token.
    public func channel(overlayToken token: String) async throws -> ChannelRecord? {
        guard OverlayTokens.isWellFormed(token) else { return nil }
        let hash = OverlayTokens.hash(token)
        return try await self.select("WHERE c.overlay_token_hash = \(hash) AND c.removed_at IS NULL").first
    }

    /// Removes a channel from the list: its overlay token stops working; polls keep their history.
    /// - Returns: False when no active channel has this login.
    public func remove(_ login: ChannelLogin) async throws -> Bool {
        let rows = try await self.client.query(
            """
            UPDATE channels SET removed_at = now(), overlay_token_hash = NULL, overlay_token_nonce = NULL, updated_at = now()
            WHERE login = \(login.value) AND removed_at IS NULL RETURNING id
            """,
            logger: self.logger
        )
        var removed = false
        for try await _ in rows { removed = true }
        if removed { self.logger.info("channel removed", metadata: ["twitch.channel": "\(login)"]) }
        return removed
    }

    /// Gives the channel a new overlay token; the previous one stops working at once.
    /// - Returns: The channel with its new token, or nil when no active channel has this login.
    public func rotateOverlayToken(_ login: ChannelLogin) async throws -> ChannelRecord? {
        let nonce = OverlayTokens.newNonce()
        let hash = OverlayTokens.hash(self.tokens.token(nonce: nonce))
        let rows = try await self.client.query(
            """
            UPDATE channels SET overlay_token_nonce = \(nonce), overlay_token_hash = \(hash), overlay_token_rotated_at = now(),
                updated_at = now()
            WHERE login = \(login.value) AND removed_at IS NULL RETURNING id
            """,
            logger: self.logger
        )
        var rotated = false
        for try await _ in rows { rotated = true }
        guard rotated else { return nil }
        self.logger.info("overlay token rotated", metadata: ["twitch.channel": "\(login)"])
        return try await self.channel(login)
    }

    /// Records the Twitch account that just connected on the active channel it belongs to: the one with its Twitch
    /// user id (the login may have changed since), else the one with its login that no account has claimed (after a
    /// rename, the new holder of a login cannot take over the old holder's channel). Clears `needs_reauth`.
    /// - Returns: The channel, or nil when the GM has not added it (nothing is changed then).
    public func connect(_ identity: TwitchIdentity) async throws -> ChannelRecord? {
        let login = identity.login.value
        let rows = try await self.client.query(
            """
            UPDATE channels SET login = \(login), twitch_user_id = \(identity.userID), display_name = \(identity.displayName),
                broadcaster_type = \(identity.broadcasterType), needs_reauth = false, updated_at = now()
            WHERE id = (
                SELECT id FROM channels WHERE removed_at IS NULL
                    AND (twitch_user_id = \(identity.userID) OR (login = \(login) AND twitch_user_id IS NULL))
                ORDER BY (twitch_user_id = \(identity.userID)) DESC NULLS LAST LIMIT 1
            )
            RETURNING id
            """,
            logger: self.logger
        )
        var found = false
        for try await _ in rows { found = true }
        guard found else { return nil }
        self.logger.info("Twitch account connected", metadata: ["twitch.channel": "\(identity.login)", "twitch.user_id": "\(identity.userID)"])
        return try await self.channel(identity.login)
    }

    /// Sets or clears the channel's `needs_reauth` mark.
    public func setNeedsReauth(_ needsReauth: Bool, channelID: UUID) async throws {
        try await self.client.query(
            "UPDATE channels SET needs_reauth = \(needsReauth), updated_at = now() WHERE id = \(channelID)",
            logger: self.logger
        )
    }

    private func select(_ condition: PostgresQuery) async throws -> [ChannelRecord] {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM channels c ")
        query.sql += condition.sql
        query.binds = condition.binds
        let rows = try await self.client.query(query, logger: self.logger)
        var records: [ChannelRecord] = []
        for try await (id, login, displayName, userID, nonce, createdAt, connected, broadcasterType, needsReauth) in rows.decode(
            (UUID, String, String?, String?, Data?, Date, Bool, String, Bool).self
        ) {
            guard let login = ChannelLogin(login) else { continue }
            // A channel registered by OAuth alone has no nonce until it is added; it shows no overlay until then.
            let token = nonce.map { self.tokens.token(nonce: $0) } ?? ""
            records.append(
                ChannelRecord(
                    id: id,
                    login: login,
                    displayName: displayName,
                    twitchUserID: userID,
                    isConnected: connected,
                    broadcasterType: broadcasterType,
                    needsReauth: needsReauth,
                    overlayToken: token,
                    createdAt: createdAt
                )
            )
        }
        return records
    }
}
