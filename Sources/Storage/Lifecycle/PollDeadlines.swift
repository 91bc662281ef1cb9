public import Redis

/// Poll deadlines in a Redis sorted set (score = the instant, in ms, when the poll is due to be finalised) and the
/// per-poll lease that lets exactly one daemon finalise it.
///
/// Every daemon sharing the Redis sees the same deadlines; a deadline leaves the set only once the result is
/// persisted, so a daemon that dies mid-finalisation leaves it for the next one (or for itself after a restart).
public struct PollDeadlines: Sendable {
    private let redis: RedisClient
    private let key: String
    private let prefix: String

    /// Creates the schedule.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - prefix: The key prefix, so several deployments (or tests) can share one Redis.
    public init(redis: RedisClient, prefix: String = "tumulte") {
        self.redis = redis
        self.prefix = prefix
        self.key = "\(prefix):poll-deadlines"
    }

    /// Sets (or moves) the poll's deadline to `dueAt` (ms since 1970).
    public func schedule(pollID: String, dueAt: Int64) async throws(RedisError) {
        _ = try await self.redis.execute(RedisCommand("ZADD", self.key, "\(dueAt)", pollID))
    }

    /// Moves the poll's deadline only if it is still scheduled (a poll already finalised is not scheduled again).
    public func reschedule(pollID: String, dueAt: Int64) async throws(RedisError) {
        _ = try await self.redis.execute(RedisCommand("ZADD", self.key, "XX", "\(dueAt)", pollID))
    }

    /// Adds the poll's deadline unless it is already scheduled (used when resuming polls after a restart).
    public func scheduleIfAbsent(pollID: String, dueAt: Int64) async throws(RedisError) {
        _ = try await self.redis.execute(RedisCommand("ZADD", self.key, "NX", "\(dueAt)", pollID))
    }

    /// Polls due at or before `now` (ms), earliest first, at most `limit`.
    public func due(at now: Int64, limit: Int = 32) async throws(RedisError) -> [String] {
        let reply = try await self.redis.execute(RedisCommand("ZRANGE", self.key, "-inf", "\(now)", "BYSCORE", "LIMIT", "0", "\(limit)"))
        return reply.array?.compactMap(\.string) ?? []
    }

    /// The earliest scheduled deadline (ms), if any.
    public func next() async throws(RedisError) -> Int64? {
        let reply = try await self.redis.execute(RedisCommand("ZRANGE", self.key, "0", "0", "WITHSCORES"))
        guard let values = reply.array, values.count == 2, let score = values[1].string.flatMap({ Double($0) }) else { return nil }
        return Int64(score)
    }

    /// Forgets the poll's deadline (its result is persisted).
    public func remove(pollID: String) async throws(RedisError) {
        _ = try await self.redis.execute(RedisCommand("ZREM", self.key, pollID))
    }

    /// Takes the poll's finalisation lease for `owner`, or extends it when `owner` already holds it.
    /// - Returns: False when another owner holds it.
    public func acquireLease(pollID: String, owner: String, milliseconds: Int) async throws(RedisError) -> Bool {
        try await RedisLease(redis: self.redis).acquire(self.leaseKey(pollID), owner: owner, milliseconds: milliseconds)
    }

    /// Gives the lease back when `owner` holds it.
    public func releaseLease(pollID: String, owner: String) async throws(RedisError) {
        try await RedisLease(redis: self.redis).release(self.leaseKey(pollID), owner: owner)
    }

    /// The lease key; it shares the poll's hash tag.
    func leaseKey(_ pollID: String) -> String { "\(self.prefix):{poll:\(pollID)}:lease" }
}
