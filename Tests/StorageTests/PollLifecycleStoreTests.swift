import Core
import Foundation
import Redis
import Storage
import TestSupport
import Testing

/// The Redis side of the poll lifecycle: idempotent registration, early ends, deadlines and the finalisation lease.
@Suite struct PollLifecycleStoreTests {
    static func prefix() -> String { "test-\(UUID().uuidString.prefix(8))" }

    @Test("re-registering a closed poll (a restart) neither reopens it nor resets its counts")
    func registerIsIdempotent() async throws {
        try await TestServices.withRedisClient { redis in
            let store = TallyStore(redis: redis, prefix: Self.prefix())
            let poll = TallyStoreTests.poll(.unique)
            #expect(try await store.register(poll))
            _ = try await store.record([TallyStoreTests.vote(poll, "alpha", user: "u1", option: 1, at: 1_000)])
            try await store.close(pollID: poll.id)
            #expect(try await store.register(poll) == false)
            let meta = try #require(try await store.meta(pollID: poll.id))
            #expect(!meta.isOpen)
            #expect(meta.version == 1)
            let late = try await store.record([TallyStoreTests.vote(poll, "alpha", user: "u2", option: 0, at: 2_000)])
            #expect(late.closed == 1)
            #expect(try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels).votes == [0, 1, 0])
        }
    }

    @Test("an early end only ever shrinks the window, and the first outcome asked for is kept")
    func requestEnd() async throws {
        try await TestServices.withRedisClient { redis in
            let store = TallyStore(redis: redis, prefix: Self.prefix())
            let poll = TallyStoreTests.poll(.standard)
            try await store.register(poll)
            try await store.requestEnd(pollID: poll.id, at: TallyStoreTests.start + 10_000, outcome: "ended_early")
            try await store.requestEnd(pollID: poll.id, at: TallyStoreTests.start + 20_000, outcome: "cancelled")
            let meta = try #require(try await store.meta(pollID: poll.id))
            #expect(meta.endsAt == TallyStoreTests.start + 10_000)
            #expect(meta.outcome == "ended_early")
            #expect(meta.isOpen)
            let result = try await store.record([
                TallyStoreTests.vote(poll, "alpha", user: "a", option: 0, at: 9_999),
                TallyStoreTests.vote(poll, "alpha", user: "b", option: 0, at: 10_001),
            ])
            #expect(result.accepted == 1)
            #expect(result.outsideWindow == 1)
        }
    }

    @Test("deadlines: due ones come earliest first, a move reschedules, removal forgets; scheduleIfAbsent keeps the first")
    func deadlines() async throws {
        try await TestServices.withRedisClient { redis in
            let deadlines = PollDeadlines(redis: redis, prefix: Self.prefix())
            try await deadlines.schedule(pollID: "b", dueAt: 2_000)
            try await deadlines.schedule(pollID: "a", dueAt: 1_000)
            try await deadlines.schedule(pollID: "c", dueAt: 9_000)
            #expect(try await deadlines.due(at: 500) == [])
            #expect(try await deadlines.due(at: 2_000) == ["a", "b"])
            #expect(try await deadlines.next() == 1_000)
            try await deadlines.schedule(pollID: "c", dueAt: 1_500)
            try await deadlines.scheduleIfAbsent(pollID: "c", dueAt: 100)
            #expect(try await deadlines.due(at: 2_000) == ["a", "c", "b"])
            try await deadlines.remove(pollID: "a")
            #expect(try await deadlines.next() == 1_500)
        }
    }

    @Test("the lease: one owner at a time, renewable by its owner, released only by its owner, free after it expires")
    func lease() async throws {
        try await TestServices.withRedisClient { redis in
            let deadlines = PollDeadlines(redis: redis, prefix: Self.prefix())
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "one", milliseconds: 30_000))
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "two", milliseconds: 30_000) == false)
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "one", milliseconds: 30_000))
            try await deadlines.releaseLease(pollID: "p", owner: "two")
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "two", milliseconds: 30_000) == false)
            try await deadlines.releaseLease(pollID: "p", owner: "one")
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "two", milliseconds: 50))
            // An owner that dies leaves a lease that expires on its own.
            try await Task.sleep(for: .milliseconds(120))
            #expect(try await deadlines.acquireLease(pollID: "p", owner: "three", milliseconds: 30_000))
        }
    }
}
