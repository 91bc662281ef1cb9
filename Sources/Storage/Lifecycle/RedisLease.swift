public import Redis

/// Leases in Redis: one owner at a time per key, taken again or extended by the same owner, released only by it,
/// and expiring on their own when the owner dies. Poll finalisation and token refreshes both use them; EventSub
/// sessions use seats, a few leases on the same thing.
public struct RedisLease: Sendable {
    private let redis: RedisClient

    /// Creates the lease helper.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Takes the lease on `key` for `owner`, or extends it when `owner` already holds it.
    /// - Returns: False when another owner holds it.
    public func acquire(_ key: String, owner: String, milliseconds: Int) async throws(RedisError) -> Bool {
        let reply = try await self.redis.evalScript(Self.acquire, keys: [key], arguments: [owner, "\(milliseconds)"])
        return reply.int == 1
    }

    /// Takes one of several leases on the same thing (`seats`, keys sharing a hash tag) for `owner`, or extends the
    /// one it holds; an owner never holds two.
    /// - Returns: The index of the seat held, or nil when other owners hold them all.
    public func acquireSeat(_ seats: [String], owner: String, milliseconds: Int) async throws(RedisError) -> Int? {
        let reply = try await self.redis.evalScript(Self.acquireSeat, keys: seats, arguments: [owner, "\(milliseconds)"])
        return reply.int.flatMap { $0 > 0 ? Int($0) - 1 : nil }
    }

    /// Gives the lease on `key` back when `owner` holds it.
    public func release(_ key: String, owner: String) async throws(RedisError) {
        _ = try await self.redis.evalScript(Self.release, keys: [key], arguments: [owner])
    }

    private static let acquire = RedisScript(
        """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if holder then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """
    )

    private static let acquireSeat = RedisScript(
        """
        for i, key in ipairs(KEYS) do
          if redis.call('GET', key) == ARGV[1] then
            redis.call('PEXPIRE', key, ARGV[2])
            return i
          end
        end
        for i, key in ipairs(KEYS) do
          if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then return i end
        end
        return 0
        """
    )

    private static let release = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """
    )
}
