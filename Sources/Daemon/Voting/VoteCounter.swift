public import ChatBridge
public import Core
public import Redis
public import Storage

/// The internal API of chat voting: start counting a poll, read its tally, stop counting it.
///
/// The poll lifecycle (HTTP API, deadlines, persistence) calls this; it knows nothing of HTTP or PostgreSQL.
public struct VoteCounter: Sendable {
    /// Running polls by channel.
    public let registry: PollRegistry
    /// Where votes are counted.
    public let store: TallyStore
    private let pool: ChatConnectionPool

    /// Creates the counter.
    public init(registry: PollRegistry, store: TallyStore, pool: ChatConnectionPool) {
        self.registry = registry
        self.store = store
        self.pool = pool
    }

    /// Starts counting `poll`: its state in Redis, its channels routed to it and joined in chat.
    public func start(_ poll: RunningPoll) async throws(RedisError) {
        try await self.store.register(poll)
        self.registry.register(poll)
        self.pool.join(poll.channels)
    }

    /// The poll's current counts.
    public func tally(of poll: RunningPoll) async throws(RedisError) -> TallySnapshot {
        try await self.store.snapshot(pollID: poll.id, optionCount: poll.optionCount, channels: poll.channels)
    }

    /// Makes chat read exactly `channels` (logins).
    public func setChannels(_ channels: some Sequence<String>) {
        self.pool.setChannels(channels)
    }

    /// Posts `text` in each of `channels` as the bot account, if chat is logged in as one; returns how many
    /// channels it was sent to. Failures are for the caller to log; nothing is retried.
    @discardableResult
    public func say(_ text: String, in channels: [String]) async -> (sent: Int, failures: [String: String]) {
        guard !self.pool.login.isAnonymous else { return (0, [:]) }
        var sent = 0
        var failures: [String: String] = [:]
        for channel in channels {
            do {
                try await self.pool.send(text, to: channel)
                sent += 1
            } catch {
                failures[channel] = "\(error)"
            }
        }
        return (sent, failures)
    }

    /// Stops routing chat to the poll; its counts stay in Redis until persisted.
    public func stop(pollID: String) {
        self.registry.unregister(pollID: pollID)
    }
}
