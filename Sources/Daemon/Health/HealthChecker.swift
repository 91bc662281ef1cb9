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

        /// Creates a report.
        public init(database: Bool, redis: Bool, twitchChat: TwitchChatHealth? = nil) {
            self.database = database
            self.redis = redis
            self.twitchChat = twitchChat
        }

        /// Whether the daemon can serve its purpose.
        public var isReady: Bool { self.database && self.redis }
    }

    private let database: Probe
    private let redis: Probe
    private let twitchChat: @Sendable () -> TwitchChatHealth?
    private let timeout: Duration

    /// Creates a checker.
    /// - Parameters:
    ///   - database: Probe of PostgreSQL.
    ///   - redis: Probe of Redis.
    ///   - twitchChat: The chat pool's state (read from memory, no I/O), if chat runs in this process.
    ///   - timeout: How long a probe may take before it counts as down.
    public init(
        database: @escaping Probe,
        redis: @escaping Probe,
        twitchChat: @escaping @Sendable () -> TwitchChatHealth? = { nil },
        timeout: Duration = .seconds(1)
    ) {
        self.database = database
        self.redis = redis
        self.twitchChat = twitchChat
        self.timeout = timeout
    }

    /// Runs both probes at once and reports.
    public func check() async -> Report {
        async let database = Self.run(self.database, timeout: self.timeout)
        async let redis = Self.run(self.redis, timeout: self.timeout)
        return await Report(database: database, redis: redis, twitchChat: self.twitchChat())
    }

    /// Runs one probe; false when it fails or does not answer within `timeout`.
    static func run(_ probe: @escaping Probe, timeout: Duration) async -> Bool {
        await result(within: timeout, otherwise: false, probe)
    }
}
