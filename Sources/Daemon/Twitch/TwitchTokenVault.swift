public import EventSub
public import Foundation
public import Storage

/// Keeps channels' Twitch tokens sealed in PostgreSQL: seals on the way in, opens on the way out, and re-seals
/// under the current application key after a key change. Tokens exist in clear only in memory.
public struct TwitchTokenVault: Sendable {
    /// The row field names the seal binds to.
    private enum Field {
        static let access = "access_token"
        static let refresh = "refresh_token"
    }

    private let cipher: TokenCipher
    private let store: TwitchTokenStore

    /// Creates a vault over `store` with the keys of `cipher`.
    public init(cipher: TokenCipher, store: TwitchTokenStore) {
        self.cipher = cipher
        self.store = store
    }

    /// A cipher for `current`, which seals, and `previous`, which only open.
    public static func cipher(current: AppKey, previous: [AppKey]) -> TokenCipher {
        TokenCipher(current: current.bytes, previous: previous.map(\.bytes))
    }

    /// The id that stands for the bot account where a channel id is expected (``tokens(channelID:)``, refreshes).
    public static var botID: UUID { TwitchTokenStore.botRowID }

    /// Seals and stores `tokens` as the channel's tokens (the bot's for ``botID``), replacing any it had.
    public func save(_ tokens: TwitchTokens, channelID: UUID) async throws {
        if channelID == Self.botID {
            try await self.store.saveBotTokens(self.sealed(tokens, channelID: channelID))
        } else {
            try await self.store.save(self.sealed(tokens, channelID: channelID))
        }
    }

    /// The channel's tokens in clear (the bot's for ``botID``), or nil when it has none.
    /// - Throws: ``TokenCipherError`` when they were sealed under an unknown key or do not authenticate.
    public func tokens(channelID: UUID) async throws -> TwitchTokens? {
        if channelID == Self.botID { return try await self.bot()?.tokens }
        guard let row = try await self.store.row(channelID: channelID) else { return nil }
        return try self.opened(row)
    }

    /// Seals and stores the bot account's tokens, replacing any earlier bot.
    public func saveBot(_ tokens: TwitchTokens, login: String, userID: String) async throws {
        try await self.store.saveBot(login: login, userID: userID, row: self.sealed(tokens, channelID: Self.botID))
    }

    /// Marks the bot account as needing a new connection.
    public func setBotNeedsReauth() async throws {
        try await self.store.setBotNeedsReauth(true)
    }

    /// The bot account with its tokens in clear, if one is connected.
    public func bot() async throws -> (login: String, userID: String, needsReauth: Bool, tokens: TwitchTokens)? {
        guard let bot = try await self.store.bot() else { return nil }
        return (bot.login, bot.userID, bot.needsReauth, try self.opened(bot.row))
    }

    /// What ``rotate(batchSize:)`` did.
    public struct Rotation: Sendable, Equatable {
        /// Rows now sealed under the current key.
        public var resealed = 0
        /// Rows changed by someone else (a refresh) while being re-sealed: already under the current key.
        public var changedMeanwhile = 0
        /// Rows that could not be opened, by error code (their key is in neither variable, or they were altered).
        public var unreadable: [String: Int] = [:]

        /// Creates a report.
        public init(resealed: Int = 0, changedMeanwhile: Int = 0, unreadable: [String: Int] = [:]) {
            self.resealed = resealed
            self.changedMeanwhile = changedMeanwhile
            self.unreadable = unreadable
        }
    }

    /// Re-seals under the current key every row sealed under another one it can open.
    public func rotate(batchSize: Int = 100) async throws -> Rotation {
        var rotation = Rotation()
        if let bot = try await self.store.bot(), bot.row.keyID != self.cipher.currentKeyID {
            do {
                let tokens = try self.opened(bot.row)
                if try await self.store.resealBot(self.sealed(tokens, channelID: Self.botID), previousKeyID: bot.row.keyID) {
                    rotation.resealed += 1
                } else {
                    rotation.changedMeanwhile += 1
                }
            } catch let error as TokenCipherError {
                rotation.unreadable[error.code.description, default: 0] += 1
            }
        }
        var after: UUID?
        while true {
            let rows = try await self.store.rows(notSealedUnder: self.cipher.currentKeyID, after: after, limit: batchSize)
            guard let last = rows.last else { return rotation }
            after = last.channelID
            for row in rows {
                let tokens: TwitchTokens
                do {
                    tokens = try self.opened(row)
                } catch let error as TokenCipherError {
                    rotation.unreadable[error.code.description, default: 0] += 1
                    continue
                }
                if try await self.store.reseal(self.sealed(tokens, channelID: row.channelID), previousKeyID: row.keyID) {
                    rotation.resealed += 1
                } else {
                    rotation.changedMeanwhile += 1
                }
            }
        }
    }

    private func sealed(_ tokens: TwitchTokens, channelID: UUID) throws -> TwitchTokenRow {
        let row = channelID.uuidString.lowercased()
        let access = try self.cipher.seal(tokens.accessToken, row: row, field: Field.access)
        let refresh = try tokens.refreshToken.map { try self.cipher.seal($0, row: row, field: Field.refresh) }
        return TwitchTokenRow(
            channelID: channelID,
            keyID: access.keyID,
            accessToken: access.bytes,
            refreshToken: refresh?.bytes,
            scopes: tokens.scopes,
            expiresAt: tokens.expiresAt
        )
    }

    private func opened(_ row: TwitchTokenRow) throws -> TwitchTokens {
        let place = row.channelID.uuidString.lowercased()
        let access = try self.cipher.open(SealedToken(keyID: row.keyID, bytes: row.accessToken), row: place, field: Field.access)
        let refresh = try row.refreshToken.map {
            try self.cipher.open(SealedToken(keyID: row.keyID, bytes: $0), row: place, field: Field.refresh)
        }
        return TwitchTokens(accessToken: access, refreshToken: refresh, scopes: row.scopes, expiresAt: row.expiresAt)
    }
}
