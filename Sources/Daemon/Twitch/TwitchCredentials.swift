import Core
import EventSub
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Storage
import Synchronization

/// Hands out usable access tokens for connected channels and keeps them so: refreshes a token shortly before it
/// expires or after Twitch refused it (API-O1), stores the rotated pair in one write, validates every token at
/// start and hourly (API-O2), and marks a channel `needs_reauth` when its tokens cannot be refreshed.
///
/// Several daemons share the tokens: a refresh holds a Redis lock per channel, and a daemon that finds the lock
/// taken waits for the other's result instead of spending the refresh token a second time (Twitch rotates it, so
/// the second refresh would fail and wrongly mark the channel).
final class TwitchCredentials: Service, Sendable {
    /// Why no token could be handed out.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// What happened.
        enum Code: String, Sendable {
            /// The channel has no connected account.
            case notConnected = "not_connected"
            /// The tokens cannot be refreshed: the streamer must connect again.
            case needsReauth = "needs_reauth"
            /// Another daemon's refresh did not finish in time.
            case busy
        }

        /// What happened.
        let code: Code
        /// Details for the log.
        let message: String

        /// `code: message`.
        var description: String { "\(self.code.rawValue): \(self.message)" }
    }

    /// Timings.
    struct Configuration: Sendable {
        /// Tokens expiring within this margin are refreshed before use.
        var refreshMargin: TimeInterval = 300
        /// How long a refresh lock lasts if its holder dies: far above a refresh's worst case (a 10 s OAuth call and
        /// two PostgreSQL round trips), so it never expires under a live holder.
        var lockDuration: Duration = .seconds(60)
        /// How often every token is validated.
        var validationInterval: Duration = .seconds(3600)
        /// The Redis key prefix.
        var prefix = "tumulte"
    }

    private let vault: TwitchTokenVault
    private let oauth: TwitchOAuthClient
    private let channels: ChannelStore
    private let redis: RedisClient
    private let configuration: Configuration
    private let logger: Logger
    /// The logins of channels marked `needs_reauth`, as last read.
    private let marked = Mutex<[String]>([])

    /// The logins of channels whose streamer must connect again (for `/health`), as last read.
    var channelsNeedingReauth: [String] { self.marked.withLock { $0 } }

    /// Creates the keeper.
    init(
        vault: TwitchTokenVault,
        oauth: TwitchOAuthClient,
        channels: ChannelStore,
        redis: RedisClient,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.vault = vault
        self.oauth = oauth
        self.channels = channels
        self.redis = redis
        self.configuration = configuration
        self.logger = logger
    }

    /// A usable access token of the channel: the stored one, or a refreshed one when it expires within the margin.
    func accessToken(channelID: UUID, now: Date = Date()) async throws -> String {
        guard let tokens = try await self.vault.tokens(channelID: channelID) else {
            throw Failure(code: .notConnected, message: "channel \(channelID) has no connected Twitch account")
        }
        if let expiresAt = tokens.expiresAt, expiresAt.timeIntervalSince(now) <= self.configuration.refreshMargin {
            return try await self.refresh(channelID: channelID, replacing: tokens.accessToken)
        }
        return tokens.accessToken
    }

    /// Refreshes the channel's tokens because Twitch refused `rejected` (a 401) or it is about to expire; returns the
    /// new access token. When another caller or daemon already replaced `rejected`, its token is returned instead.
    func refresh(channelID: UUID, replacing rejected: String) async throws -> String {
        let key = "\(self.configuration.prefix):twitch-refresh:\(channelID.uuidString.lowercased())"
        let owner = UUID().uuidString
        let deadline = ContinuousClock.now + self.configuration.lockDuration
        while true {
            guard let current = try await self.vault.tokens(channelID: channelID) else {
                throw Failure(code: .notConnected, message: "channel \(channelID) has no connected Twitch account")
            }
            if current.accessToken != rejected { return current.accessToken }
            let lease = RedisLease(redis: self.redis)
            if try await lease.acquire(key, owner: owner, milliseconds: Int(self.configuration.lockDuration.milliseconds)) {
                let result: Result<String, any Error>
                do {
                    // Read again under the lock: a refresh may have landed between the read and the lock.
                    guard let fresh = try await self.vault.tokens(channelID: channelID) else {
                        throw Failure(code: .notConnected, message: "channel \(channelID) has no connected Twitch account")
                    }
                    result = .success(
                        fresh.accessToken != rejected ? fresh.accessToken : try await self.refreshNow(channelID: channelID, tokens: fresh)
                    )
                } catch {
                    result = .failure(error)
                }
                try? await lease.release(key, owner: owner)
                return try result.get()
            }
            guard ContinuousClock.now < deadline else {
                throw Failure(code: .busy, message: "another daemon's refresh of channel \(channelID) did not finish in time")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Validates every connected channel's token and the bot's (API-O2): a refused token is refreshed, and an
    /// account whose tokens cannot be refreshed is marked `needs_reauth`. Returns the logins marked (the bot as
    /// `bot <login>`).
    @discardableResult
    func validateAll() async throws -> [String] {
        var marked: [String] = []
        let channels = try await self.channels.list()
        self.marked.withLock { $0 = channels.filter(\.needsReauth).map(\.login.value) }
        var accounts = channels.filter { $0.isConnected && !$0.needsReauth }.map { (id: $0.id, name: $0.login.value) }
        if let bot = try? await self.vault.bot(), !bot.needsReauth { accounts.append((TwitchTokenVault.botID, "bot \(bot.login)")) }
        for account in accounts {
            do {
                let token = try await self.accessToken(channelID: account.id)
                do {
                    _ = try await self.oauth.validate(token)
                } catch let error as TwitchAPIError where error.code == .unauthorized {
                    _ = try await self.refresh(channelID: account.id, replacing: token)
                }
            } catch let failure as Failure where failure.code == .needsReauth {
                marked.append(account.name)
            } catch {
                self.logger.warning(
                    "Twitch token validation failed; trying again later",
                    metadata: ["twitch.channel": "\(account.name)", "twitch.error": "\(error)"]
                )
            }
        }
        return marked
    }

    /// Validates every token at start and then every interval, until shutdown.
    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var wait = self.configuration.validationInterval
                do {
                    try await self.validateAll()
                } catch {
                    // PostgreSQL away, or not migrated yet at start: soon again, not in an hour.
                    wait = .seconds(30)
                    self.logger.warning("Twitch token validation could not run; trying again in 30 s", metadata: ["twitch.error": "\(error)"])
                }
                try await Task.sleep(for: wait)
            }
        }
    }

    private func refreshNow(channelID: UUID, tokens: TwitchTokens) async throws -> String {
        guard let refreshToken = tokens.refreshToken else {
            try await self.markNeedsReauth(channelID: channelID, reason: "no refresh token")
            throw Failure(code: .needsReauth, message: "channel \(channelID) has no refresh token")
        }
        do {
            let refreshed = try await self.oauth.refresh(refreshToken)
            try await self.vault.save(refreshed, channelID: channelID)
            self.logger.info("Twitch token refreshed", metadata: ["twitch.channel_id": "\(channelID)"])
            return refreshed.accessToken
        } catch let error as TwitchAPIError where error.code == .invalidGrant {
            try await self.markNeedsReauth(channelID: channelID, reason: error.message)
            throw Failure(code: .needsReauth, message: "the refresh token of channel \(channelID) was refused: \(error.message)")
        }
    }

    private func markNeedsReauth(channelID: UUID, reason: String) async throws {
        if channelID == TwitchTokenVault.botID {
            try await self.vault.setBotNeedsReauth()
            self.logger.warning("the Twitch bot account must be connected again", metadata: ["twitch.reason": "\(reason)"])
            return
        }
        try await self.channels.setNeedsReauth(true, channelID: channelID)
        if let channels = try? await self.channels.list() {
            self.marked.withLock { $0 = channels.filter(\.needsReauth).map(\.login.value) }
        }
        self.logger.warning(
            "Twitch account must be connected again; its polls use chat voting",
            metadata: ["twitch.channel_id": "\(channelID)", "twitch.reason": "\(reason)"]
        )
    }
}
