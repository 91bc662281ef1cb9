import Foundation
import Redis
import Storage
import TestSupport
import Testing

@Suite struct RedisLeaseTests {
    private static func key() -> String { "test-lease-{" + UUID().uuidString.prefix(8).lowercased() + "}" }

    @Test("a lease has one owner, is extended by it, released only by it")
    func lease() async throws {
        try await TestServices.withRedisClient { redis in
            let lease = RedisLease(redis: redis)
            let key = Self.key()
            #expect(try await lease.acquire(key, owner: "a", milliseconds: 60_000))
            #expect(try await lease.acquire(key, owner: "a", milliseconds: 60_000))
            #expect(try await !lease.acquire(key, owner: "b", milliseconds: 60_000))
            try await lease.release(key, owner: "b")
            #expect(try await !lease.acquire(key, owner: "b", milliseconds: 60_000))
            try await lease.release(key, owner: "a")
            #expect(try await lease.acquire(key, owner: "b", milliseconds: 60_000))
        }
    }

    @Test("seats: two owners hold one each, a third waits; an owner keeps its seat and never takes two")
    func seats() async throws {
        try await TestServices.withRedisClient { redis in
            let lease = RedisLease(redis: redis)
            let base = Self.key()
            let seats = [base + ":1", base + ":2"]
            #expect(try await lease.acquireSeat(seats, owner: "a", milliseconds: 60_000) == 0)
            #expect(try await lease.acquireSeat(seats, owner: "b", milliseconds: 60_000) == 1)
            #expect(try await lease.acquireSeat(seats, owner: "c", milliseconds: 60_000) == nil)
            // Renewals keep each owner in its seat.
            #expect(try await lease.acquireSeat(seats, owner: "b", milliseconds: 60_000) == 1)
            #expect(try await lease.acquireSeat(seats, owner: "a", milliseconds: 60_000) == 0)
            // A released seat goes to the one waiting; the owner of seat 2 does not take seat 1 as well.
            try await lease.release(seats[0], owner: "a")
            #expect(try await lease.acquireSeat(seats, owner: "b", milliseconds: 60_000) == 1)
            #expect(try await lease.acquireSeat(seats, owner: "c", milliseconds: 60_000) == 0)
            #expect(try await lease.acquireSeat(seats, owner: "a", milliseconds: 60_000) == nil)
            #expect(try await redis.execute(RedisCommand("GET", seats[0])).string == "c")
        }
    }

    @Test("a seat whose owner died (stopped renewing) expires and is taken by another")
    func seatExpires() async throws {
        try await TestServices.withRedisClient { redis in
            let lease = RedisLease(redis: redis)
            let seats = [Self.key() + ":1"]
            #expect(try await lease.acquireSeat(seats, owner: "dead", milliseconds: 60_000) == 0)
            #expect(try await lease.acquireSeat(seats, owner: "next", milliseconds: 60_000) == nil)
            // The owner dies: nobody renews, and the lease runs out (brought forward to 50 ms from now). Redis
            // expires the key on its own clock; ask again until it has.
            _ = try await redis.execute(RedisCommand("PEXPIRE", seats[0], "50"))
            let deadline = ContinuousClock.now + .seconds(10)
            var taken: Int?
            while taken == nil && ContinuousClock.now < deadline {
                taken = try await lease.acquireSeat(seats, owner: "next", milliseconds: 60_000)
                if taken == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(taken == 0)
        }
    }
}
