import Foundation
public import Redis

/// A fixed-window limiter in Redis: `INCR` and `EXPIRE` on `<prefix>:ratelimit:{<subject>}:<window>`, pipelined.
///
/// Windows are aligned on the Unix epoch, so every daemon sharing the Redis counts into the same key.
/// A key lives one window after its last hit, so Redis never keeps more than two per subject.
public struct RedisRateLimiter: RateLimiter {
    /// The default limit for poll starts: 20 per minute per API key.
    public static let pollStartLimit = 20

    private let redis: RedisClient
    private let limit: Int
    private let windowSeconds: Int64
    private let prefix: String
    private let now: @Sendable () -> Int64

    /// Creates a limiter.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - limit: Attempts allowed per window.
    ///   - window: The window length, in whole seconds (at least one).
    ///   - prefix: The key prefix, so several deployments (or tests) can share one Redis.
    ///   - now: The current Unix time in seconds; the system clock unless a test pins it.
    public init(
        redis: RedisClient,
        limit: Int = Self.pollStartLimit,
        window: Duration = .seconds(60),
        prefix: String = "tumulte",
        now: (@Sendable () -> Int64)? = nil
    ) {
        precondition(limit > 0, "a rate limit must allow at least one attempt")
        self.redis = redis
        self.limit = limit
        self.windowSeconds = max(1, window.components.seconds)
        self.prefix = prefix
        self.now = now ?? { Int64(Date().timeIntervalSince1970) }
    }

    /// Counts one attempt by `subject` in the current window.
    /// - Throws: ``RedisError`` when Redis cannot be reached or refuses the commands.
    public func acquire(_ subject: String) async throws -> RateLimitDecision {
        let now = self.now()
        let window = now / self.windowSeconds
        let key = self.key(subject: subject, window: window)
        let results = try await self.redis.execute([
            RedisCommand("INCR", key),
            RedisCommand("EXPIRE", key, "\(self.windowSeconds)"),
        ])
        guard let count = try results[0].get().int else {
            throw RedisError(.protocolError, message: "INCR did not answer an integer")
        }
        _ = try results[1].get()
        if count <= self.limit {
            return .allowed(remaining: self.limit - Int(count))
        }
        let retryAfter = (window + 1) * self.windowSeconds - now
        return .limited(retryAfter: Int(min(max(retryAfter, 1), self.windowSeconds)))
    }

    /// The counter key of `subject` in window number `window`; the braces keep a subject's keys in one cluster slot.
    func key(subject: String, window: Int64) -> String {
        "\(self.prefix):ratelimit:{\(subject)}:\(window)"
    }
}
