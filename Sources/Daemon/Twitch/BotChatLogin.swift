import ChatBridge
import Core
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Keeps chat logged in as the connected bot account (IRC-L1), or anonymously when there is none or it must be
/// connected again (IRC-L3).
///
/// It reads the bot row at start, right after a connection through `/auth/twitch?role=bot` on this daemon, and every
/// 30 s, so every daemon sharing the database follows a new bot, and a bot whose token Twitch no longer refreshes
/// (`needs_reauth`) gives way to anonymous reading instead of leaving chat unread. The pool swaps its connections
/// make-before-break, so no vote is missed during the change.
final class BotChatLogin: Service, Sendable {
    private let pool: ChatConnectionPool
    private let tokens: TwitchTokenStore
    private let credentials: TwitchCredentials
    private let interval: Duration
    private let logger: Logger
    private let wake = WakeSignal()
    /// The bot chat is logged in as (`.some(nil)` while anonymous); nil until the first read.
    private let current = Mutex<String??>(nil)
    /// The bot row as last read, for `/health`.
    private let lastRead = Mutex<(login: String, needsReauth: Bool)?>(nil)

    /// Creates the service; the pool should start with the `undecided` login, which the first read settles.
    init(pool: ChatConnectionPool, tokens: TwitchTokenStore, credentials: TwitchCredentials, interval: Duration = .seconds(30), logger: Logger) {
        self.pool = pool
        self.tokens = tokens
        self.credentials = credentials
        self.interval = interval
        self.logger = logger
    }

    /// Follows the bot row until graceful shutdown, which also cancels a read PostgreSQL is slow to answer.
    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.follow()
                await self.wake.wait(until: .now + self.interval)
            }
        }
    }

    /// The bot account as last read (nil when there is none, or before the first read), for `/health`.
    var bot: (login: String, needsReauth: Bool)? { self.lastRead.withLock { $0 } }

    /// Reads the bot row now (a bot account was just connected).
    func botChanged() {
        self.wake.signal()
    }

    /// Switches chat's login when the bot row asks for another one.
    private func follow() async {
        let bot: (login: String, needsReauth: Bool)?
        do {
            bot = try await withTimeout(.seconds(5), "reading the bot account") { try await self.tokens.bot() }.map { ($0.login, $0.needsReauth) }
        } catch {
            // At start, chat must not wait for PostgreSQL: it reads anonymously until the bot row can be read.
            let first = self.current.withLock { current in
                defer { if current == nil { current = .some(nil) } }
                return current == nil
            }
            if first { self.pool.changeLogin(.anonymous) }
            self.logger.debug("bot account not read; chat keeps its login", metadata: ["db.error": "\(String(reflecting: error))"])
            return
        }
        self.lastRead.withLock { $0 = bot }
        let wanted = bot.flatMap { $0.needsReauth ? nil : $0.login }
        let previous = self.current.withLock { current in
            defer { current = .some(wanted) }
            return current
        }
        guard previous == nil || previous != .some(wanted) else { return }
        if let wanted {
            self.logger.info("chat is read and written as the bot account", metadata: ["twitch.bot": "\(wanted)"])
            self.pool.changeLogin(Self.chatLogin(bot: wanted, credentials: self.credentials))
        } else {
            if let bot {
                self.logger.warning(
                    "the Twitch bot account must be connected again (/auth/twitch?role=bot); chat is read anonymously",
                    metadata: ["twitch.bot": "\(bot.login)"]
                )
            }
            self.pool.changeLogin(.anonymous)
        }
    }

    /// Logs chat in as the bot, with a token kept fresh by `credentials` (a refreshed one after a failed login, IRC-L6).
    private static func chatLogin(bot login: String, credentials: TwitchCredentials) -> ChatLogin {
        .account(login) { refresh in
            let botID = TwitchTokenVault.botID
            let token = try await credentials.accessToken(channelID: botID)
            return refresh ? try await credentials.refresh(channelID: botID, replacing: token) : token
        }
    }
}
