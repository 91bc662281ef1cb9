import Core
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Storage
import TestSupport
import Testing

@Suite struct VoteSinkTests {
    /// Runs a sink (and its Redis client) against `redis` for the duration of `body`.
    static func withSink<T: Sendable>(
        redis configuration: RedisConfiguration,
        sinkConfiguration: VoteSink.Configuration = .init(),
        _ body: @Sendable (VoteSink, TallyStore) async throws -> T
    ) async throws -> T {
        let client = RedisClient(configuration: configuration, logger: TestServices.quietLogger)
        let store = TallyStore(redis: client, prefix: "test-\(UUID().uuidString.prefix(8))")
        let sink = VoteSink(store: store, configuration: sinkConfiguration, logger: TestServices.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await sink.run() }
            defer { group.cancelAll() }
            try await client.waitUntilConnected()
            return try await body(sink, store)
        }
    }

    static func votes(_ poll: RunningPoll, range: Range<Int>) -> [TallyChange] {
        range.map { index in
            .vote(
                Vote(
                    pollID: poll.id,
                    channel: poll.channels[index % poll.channels.count],
                    userID: "user\(index % 700)",
                    messageID: "message\(index)",
                    option: (index * 7) % poll.optionCount,
                    sentAt: poll.startedAt + Int64(index)
                )
            )
        }
    }

    @Test("votes queued while Redis is down are counted once it is back, exactly as if it never left")
    func outage() async throws {
        let redis = try await RedisServerProcess(durable: true)
        var configuration = RedisConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = redis.port
        let poll = RunningPoll(id: UUID().uuidString, optionCount: 4, channels: ["a", "b", "c"], rule: .unique, startedAt: 1_000, endsAt: 1_000_000)
        let before = Self.votes(poll, range: 0..<5_000)
        let during = Self.votes(poll, range: 5_000..<10_000)
        let after = Self.votes(poll, range: 10_000..<12_000)
        var reference = ReferenceTally(poll: poll)
        for case .vote(let vote) in before + during + after { reference.record(vote) }
        let expected = reference

        try await Self.withSink(redis: configuration) { sink, store in
            try await store.register(poll)
            sink.submit(before)
            await sink.waitUntilIdle()
            try await redis.stop()
            #expect(sink.submit(during) == during.count)
            #expect(sink.pendingCount > 0)
            try await redis.start()
            sink.submit(after)
            await sink.waitUntilIdle()
            #expect(sink.droppedCount == 0)
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 4, channels: poll.channels)
            #expect(snapshot.votes == expected.votes)
            #expect(snapshot.channels == expected.channels)
        }
    }

    @Test("beyond its bound the queue drops votes and counts them, instead of growing")
    func bound() async throws {
        let redis = try await RedisServerProcess()
        var configuration = RedisConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = redis.port
        var sinkConfiguration = VoteSink.Configuration()
        sinkConfiguration.queueLimit = 100
        let poll = RunningPoll(id: UUID().uuidString, optionCount: 2, channels: ["a"], rule: .standard, startedAt: 0, endsAt: 10_000_000)
        try await Self.withSink(redis: configuration, sinkConfiguration: sinkConfiguration) { sink, _ in
            try await redis.stop()
            #expect(sink.submit(Self.votes(poll, range: 0..<150)) == 100)
            #expect(sink.droppedCount == 50)
            #expect(sink.pendingCount == 100)
        }
    }

    @Test("a vote and the deletion of its message keep their order through the queue")
    func ordering() async throws {
        let poll = RunningPoll(id: UUID().uuidString, optionCount: 2, channels: ["a"], rule: .unique, startedAt: 0, endsAt: 10_000_000)
        try await Self.withSink(redis: TestServices.redisConfiguration) { sink, store in
            try await store.register(poll)
            sink.submit([
                .vote(Vote(pollID: poll.id, channel: "a", userID: "u", messageID: "m", option: 1, sentAt: 5)),
                .removeMessage(pollID: poll.id, messageID: "m"),
                .vote(Vote(pollID: poll.id, channel: "a", userID: "v", messageID: "n", option: 0, sentAt: 6)),
            ])
            await sink.waitUntilIdle()
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 2, channels: poll.channels)
            #expect(snapshot.votes == [1, 0])
        }
    }
}
