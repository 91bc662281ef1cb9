/// Checks the backing services for the health endpoints, each with a short timeout, concurrently.
public struct HealthChecker: Sendable {
    /// A check that answers whether one dependency works right now.
    public typealias Probe = @Sendable () async -> Bool

    /// The result of one round of checks.
    public struct Report: Sendable, Equatable {
        /// PostgreSQL answered `SELECT 1` in time.
        public var database: Bool
        /// Redis answered `PING` in time.
        public var redis: Bool
        /// The chat connections, when chat runs in this process.
        public var twitchChat: TwitchChatHealth?
        /// The logins of channels whose streamer must connect their Twitch account again; nil without a Twitch
        /// application.
        public var channelsNeedingReauth: [String]?
        /// EventSub: `websocket` sessions (and how many are subscribed) or `webhook`; nil without a Twitch application.
        public var eventSub: (transport: String, sessions: Int, ready: Int, elsewhere: Int)?
        /// The bot account chat logs in as, and whether it must be connected again; nil when there is none.
        public var bot: (login: String, needsReauth: Bool)?

        /// Creates a report.
        public init(
            database: Bool,
            redis: Bool,
            twitchChat: TwitchChatHealth? = nil,
            channelsNeedingReauth: [String]? = nil,
            eventSub: (transport: String, sessions: Int, ready: Int, elsewhere: Int)? = nil,
            bot: (login: String, needsReauth: Bool)? = nil
        ) {
            self.bot = bot
            self.database = database
            self.redis = redis
            self.twitchChat = twitchChat
            self.channelsNeedingReauth = channelsNeedingReauth
            self.eventSub = eventSub
        }

        /// Reports are equal when every field is.
        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.database == rhs.database && lhs.redis == rhs.redis && lhs.twitchChat == rhs.twitchChat
                && lhs.channelsNeedingReauth == rhs.channelsNeedingReauth && lhs.eventSub?.transport == rhs.eventSub?.transport
                && lhs.eventSub?.sessions == rhs.eventSub?.sessions && lhs.eventSub?.ready == rhs.eventSub?.ready
                && lhs.eventSub?.elsewhere == rhs.eventSub?.elsewhere && lhs.bot?.login == rhs.bot?.login
                && lhs.bot?.needsReauth == rhs.bot?.needsReauth
        }

        /// Whether the daemon can serve its purpose.
        public var isReady: Bool { self.database && self.redis }
    }

    private let database: Probe
    private let redis: Probe
    private let twitchChat: @Sendable () -> TwitchChatHealth?
    private let twitchAccounts: @Sendable () -> [String]?
    private let eventSub: @Sendable () -> (transport: String, sessions: Int, ready: Int, elsewhere: Int)?
    private let bot: @Sendable () -> (login: String, needsReauth: Bool)?
    private let timeout: Duration

    /// Creates a checker.
    /// - Parameters:
    ///   - database: Probe of PostgreSQL.
    ///   - redis: Probe of Redis.
    ///   - twitchChat: The chat pool's state (read from memory, no I/O), if chat runs in this process.
    ///   - twitchAccounts: The logins of channels needing a new Twitch connection (from memory), nil without a
    ///     Twitch application.
    ///   - eventSub: The EventSub transport and sessions (from memory), nil without a Twitch application.
    ///   - bot: The bot account as last read (from memory), nil when there is none.
    ///   - timeout: How long a probe may take before it counts as down.
    public init(
        database: @escaping Probe,
        redis: @escaping Probe,
        twitchChat: @escaping @Sendable () -> TwitchChatHealth? = { nil },
        twitchAccounts: @escaping @Sendable () -> [String]? = { nil },
        eventSub: @escaping @Sendable () -> (transport: String, sessions: Int, ready: Int, elsewhere: Int)? = { nil },
        bot: @escaping @Sendable () -> (login: String, needsReauth: Bool)? = { nil },
        timeout: Duration = .seconds(1)
    ) {
        self.bot = bot
        self.eventSub = eventSub
        self.database = database
        self.redis = redis
        self.twitchChat = twitchChat
        self.twitchAccounts = twitchAccounts
        self.timeout = timeout
    }

    /// Runs both probes at once and reports.
    public func check() async -> Report {
        async let database = Self.run(self.database, timeout: self.timeout)
        async let redis = Self.run(self.redis, timeout: self.timeout)
        return await Report(
            database: database,
            redis: redis,
            twitchChat: self.twitchChat(),
            channelsNeedingReauth: self.twitchAccounts(),
            eventSub: self.eventSub(),
            bot: self.bot()
        )
    }

    /// Runs one probe; false when it fails or does not answer within `timeout`.
    static func run(_ probe: @escaping Probe, timeout: Duration) async -> Bool {
        await result(within: timeout, otherwise: false, probe)
    }
}
