import Foundation
import Redis
import Storage
import Synchronization
import TestSupport
import Testing

@Suite struct RedisRateLimiterTests {
    /// A clock a test moves by hand.
    final class Clock: Sendable {
        let seconds: Atomic<Int64>

        init(_ seconds: Int64) { self.seconds = .init(seconds) }

        var now: Int64 { self.seconds.load(ordering: .relaxed) }

        func set(_ value: Int64) { self.seconds.store(value, ordering: .relaxed) }
    }

    private static func prefix() -> String { "test-ratelimit-" + UUID().uuidString.prefix(8).lowercased() }

    @Test("20 attempts pass, the 21st is limited with Retry-After within the window, and the next window is fresh")
    func limit() async throws {
        try await TestServices.withRedisClient { redis in
            let clock = Clock(1_000_000)
            let limiter = RedisRateLimiter(redis: redis, prefix: Self.prefix(), now: { clock.now })
            for attempt in 1...20 {
                #expect(try await limiter.acquire("apikey:a") == .allowed(remaining: 20 - attempt))
            }
            guard case .limited(let retryAfter) = try await limiter.acquire("apikey:a") else {
                Issue.record("the 21st attempt was allowed")
                return
            }
            #expect((1...60).contains(retryAfter))
            // 1_000_000 = 16_666 * 60 + 40: the window ends in 20 s.
            #expect(retryAfter == 20)
            clock.set(1_000_019)
            #expect(try await limiter.acquire("apikey:a") == .limited(retryAfter: 1))
            clock.set(1_000_020)
            #expect(try await limiter.acquire("apikey:a") == .allowed(remaining: 19))
        }
    }

    @Test("keys are isolated: one key at its limit does not limit another")
    func isolation() async throws {
        try await TestServices.withRedisClient { redis in
            let limiter = RedisRateLimiter(redis: redis, limit: 3, prefix: Self.prefix(), now: { 6_000 })
            for _ in 0..<3 { _ = try await limiter.acquire("apikey:one") }
            #expect(try await limiter.acquire("apikey:one") == .limited(retryAfter: 60))
            #expect(try await limiter.acquire("apikey:two") == .allowed(remaining: 2))
        }
    }

    @Test("the counter key carries a TTL of one window, so Redis forgets old windows")
    func expiry() async throws {
        try await TestServices.withRedisClient { redis in
            let prefix = Self.prefix()
            let limiter = RedisRateLimiter(redis: redis, prefix: prefix, now: { 600 })
            _ = try await limiter.acquire("apikey:ttl")
            let ttl = try await redis.execute(RedisCommand("TTL", "\(prefix):ratelimit:{apikey:ttl}:10")).int
            #expect(ttl.map { (1...60).contains($0) } == true)
        }
    }

    @Test("the real clock: 20 allowed then limited with Retry-After between 1 and 60")
    func systemClock() async throws {
        try await TestServices.withRedisClient { redis in
            let limiter = RedisRateLimiter(redis: redis, prefix: Self.prefix())
            var limited: Int?
            // A window may roll over mid-test; 41 attempts always hit the limit in some window.
            for _ in 0..<41 {
                if case .limited(let retryAfter) = try await limiter.acquire("apikey:real") {
                    limited = retryAfter
                    break
                }
            }
            let retryAfter = try #require(limited)
            #expect((1...60).contains(retryAfter))
        }
    }
}
