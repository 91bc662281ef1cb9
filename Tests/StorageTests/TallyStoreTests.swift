import Core
import Foundation
import NIOCore
import PropertyBased
import Redis
import Storage
import TestSupport
import Testing

@Suite struct TallyStoreTests {
    static let start: Int64 = 1_700_000_000_000
    static let end: Int64 = start + 60_000

    static func poll(_ rule: VoteRule, channels: [String] = ["alpha", "bravo", "charlie"], options: Int = 3) -> RunningPoll {
        RunningPoll(id: UUID().uuidString.lowercased(), optionCount: options, channels: channels, rule: rule, startedAt: start, endsAt: end)
    }

    static func vote(
        _ poll: RunningPoll,
        _ channel: String,
        user: String,
        option: Int,
        at offset: Int64,
        id: String = UUID().uuidString,
        source: String? = nil
    ) -> Vote {
        Vote(pollID: poll.id, channel: channel, userID: user, messageID: id, sourceMessageID: source, option: option, sentAt: start + offset)
    }

    /// A store whose keys cannot collide with another test's.
    static func withStore<T: Sendable>(_ body: @Sendable (TallyStore, RedisClient) async throws -> T) async throws -> T {
        try await TestServices.withRedisClient { redis in
            try await body(TallyStore(redis: redis, prefix: "test-\(UUID().uuidString.prefix(8))"), redis)
        }
    }

    @Test("unique rule: one vote per user across channels; a newer vote moves it, an older one is ignored")
    func unique() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.unique)
            try await store.register(poll)
            var result = try await store.record([
                Self.vote(poll, "alpha", user: "u1", option: 0, at: 1_000),
                Self.vote(poll, "bravo", user: "u2", option: 1, at: 1_000),
                Self.vote(poll, "bravo", user: "u1", option: 2, at: 2_000),  // moves u1 to bravo/2
                Self.vote(poll, "charlie", user: "u1", option: 1, at: 1_500),  // older than u1's current: ignored
            ])
            #expect(result.accepted == 3)
            #expect(result.superseded == 1)
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels)
            #expect(snapshot.votes == [0, 1, 1])
            #expect(snapshot.channels == ["alpha": [0, 0, 0], "bravo": [0, 1, 1], "charlie": [0, 0, 0]])
            result = try await store.record([Self.vote(poll, "alpha", user: "u3", option: 0, at: 3_000)])
            let later = try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels)
            #expect(later.version > snapshot.version)
        }
    }

    @Test("standard rule: every distinct message counts")
    func standard() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.standard)
            try await store.register(poll)
            let result = try await store.record([
                Self.vote(poll, "alpha", user: "u1", option: 0, at: 1),
                Self.vote(poll, "alpha", user: "u1", option: 0, at: 2),
                Self.vote(poll, "bravo", user: "u1", option: 1, at: 3),
            ])
            #expect(result.accepted == 3)
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels)
            #expect(snapshot.votes == [2, 1, 0])
        }
    }

    @Test("IRC-T5 a message id seen before never counts twice; replaying a whole batch changes nothing")
    func duplicates() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.standard)
            try await store.register(poll)
            let batch = (0..<50).map { Self.vote(poll, "alpha", user: "u\($0)", option: $0 % 3, at: Int64($0)) }
            let first = try await store.record(batch)
            let replay = try await store.record(batch + [batch[0]])
            #expect(first.accepted == 50)
            #expect(replay.accepted == 0)
            #expect(replay.duplicate == 51)
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels)
            #expect(snapshot.votes == [17, 17, 16])
        }
    }

    @Test("IRC-G9 Shared Chat copies count once, by source id")
    func sharedChat() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.standard)
            try await store.register(poll)
            let result = try await store.record([
                Self.vote(poll, "alpha", user: "u1", option: 1, at: 5, id: "copy-in-bravo", source: "original"),
                Self.vote(poll, "alpha", user: "u1", option: 1, at: 5, id: "original", source: "original"),
            ])
            #expect(result.accepted == 1)
            #expect(result.duplicate == 1)
        }
    }

    @Test("votes outside [startedAt, endsAt], with a bad option, or for an unknown poll are refused by reason")
    func refusals() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.unique)
            try await store.register(poll)
            let result = try await store.record([
                Self.vote(poll, "alpha", user: "early", option: 0, at: -1),
                Self.vote(poll, "alpha", user: "late", option: 0, at: 60_001),
                Self.vote(poll, "alpha", user: "edge-start", option: 0, at: 0),
                Self.vote(poll, "alpha", user: "edge-end", option: 0, at: 60_000),
                Self.vote(poll, "alpha", user: "bad", option: 3, at: 10),
                Vote(pollID: "unknown-poll", channel: "alpha", userID: "x", messageID: "m", option: 0, sentAt: Self.start + 1),
            ])
            #expect(result.outsideWindow == 2)
            #expect(result.accepted == 2)
            #expect(result.invalid == 1)
            #expect(result.closed == 1)
        }
    }

    @Test("end-now moves the window; a closed poll refuses votes and removals")
    func endNowAndClose() async throws {
        try await Self.withStore { store, _ in
            let poll = Self.poll(.unique)
            try await store.register(poll)
            try await store.setEndsAt(Self.start + 10_000, pollID: poll.id)
            let late = try await store.record([Self.vote(poll, "alpha", user: "u1", option: 0, at: 10_001)])
            #expect(late.outsideWindow == 1)
            let counted = try await store.record([Self.vote(poll, "alpha", user: "u2", option: 0, at: 9_000, id: "m2")])
            #expect(counted.accepted == 1)
            try await store.close(pollID: poll.id)
            let closed = try await store.record([Self.vote(poll, "alpha", user: "u3", option: 0, at: 5_000)])
            #expect(closed.closed == 1)
            #expect(try await store.apply([.removeMessage(pollID: poll.id, messageID: "m2")]).removed == 0)
            let snapshot = try await store.snapshot(pollID: poll.id, optionCount: 3, channels: poll.channels)
            #expect(snapshot.votes == [1, 0, 0])
        }
    }

    @Test("moderation: a deleted message or a banned user loses the vote, for both rules")
    func moderation() async throws {
        try await Self.withStore { store, _ in
            let unique = Self.poll(.unique)
            try await store.register(unique)
            _ = try await store.record([
                Self.vote(unique, "alpha", user: "u1", option: 0, at: 1, id: "a"),
                Self.vote(unique, "alpha", user: "u2", option: 1, at: 1, id: "b"),
                Self.vote(unique, "alpha", user: "u2", option: 2, at: 2, id: "c"),
            ])
            #expect(try await store.apply([.removeMessage(pollID: unique.id, messageID: "b")]).removed == 0)  // no longer u2's vote
            #expect(try await store.apply([.removeMessage(pollID: unique.id, messageID: "c")]).removed == 1)
            #expect(try await store.apply([.removeMessage(pollID: unique.id, messageID: "c")]).removed == 0)  // idempotent
            #expect(try await store.apply([.removeUser(pollID: unique.id, userID: "u1")]).removed == 1)
            var snapshot = try await store.snapshot(pollID: unique.id, optionCount: 3, channels: unique.channels)
            #expect(snapshot.votes == [0, 0, 0])
            // A newer vote after a removal counts again; an older one does not.
            _ = try await store.record([Self.vote(unique, "alpha", user: "u2", option: 1, at: 1, id: "d")])
            _ = try await store.record([Self.vote(unique, "alpha", user: "u2", option: 0, at: 3, id: "e")])
            snapshot = try await store.snapshot(pollID: unique.id, optionCount: 3, channels: unique.channels)
            #expect(snapshot.votes == [1, 0, 0])

            let standard = Self.poll(.standard)
            try await store.register(standard)
            _ = try await store.record([
                Self.vote(standard, "alpha", user: "s1", option: 0, at: 1, id: "s-a"),
                Self.vote(standard, "bravo", user: "s1", option: 1, at: 2, id: "s-b"),
                Self.vote(standard, "bravo", user: "s2", option: 1, at: 2, id: "s-c"),
            ])
            #expect(try await store.apply([.removeUser(pollID: standard.id, userID: "s1")]).removed == 2)
            #expect(try await store.apply([.removeMessage(pollID: standard.id, messageID: "s-c")]).removed == 1)
            snapshot = try await store.snapshot(pollID: standard.id, optionCount: 3, channels: standard.channels)
            #expect(snapshot.votes == [0, 0, 0])
        }
    }

    @Test("every change publishes `<pollId>:<version>` on the notice channel")
    func notices() async throws {
        try await Self.withStore { store, redis in
            let poll = Self.poll(.unique)
            try await store.register(poll)
            try await redis.subscribe(to: [store.noticeChannel]) { messages in
                _ = try await store.record([Self.vote(poll, "alpha", user: "u1", option: 0, at: 1)])
                for try await message in messages {
                    let text = String(buffer: message.payload)
                    if text.hasPrefix(poll.id) {
                        #expect(text == "\(poll.id):1")
                        break
                    }
                }
            }
        }
    }

    @Test("for any stream of votes the script agrees with the reference rules, for both rules")
    func matchesReference() async throws {
        let users = Gen.int(in: 0...30)
        let votes = Gen.int(in: 0...1_000_000).array(of: 1...300)
        try await Self.withStore { store, _ in
            await propertyCheck(count: 20, input: votes, users) { seeds, userCount in
                for rule in VoteRule.allCases {
                    let poll = Self.poll(rule, options: 4)
                    try? await store.register(poll)
                    var reference = ReferenceTally(poll: poll)
                    var stream: [Vote] = []
                    for (index, seed) in seeds.enumerated() {
                        // Derive every field from the seed so shrinking keeps streams meaningful.
                        let repeatEarlier = seed % 11 == 0 && !stream.isEmpty
                        let vote =
                            repeatEarlier
                            ? stream[seed % stream.count]
                            : Self.vote(
                                poll,
                                poll.channels[seed % 3],
                                user: "u\(seed % (userCount + 1))",
                                option: seed % 5,  // 4 is out of range
                                at: Int64((seed / 7) % 70_000) - 5_000,
                                id: "m\(index)",
                                source: seed % 13 == 0 ? "shared\(seed % 4)" : nil
                            )
                        stream.append(vote)
                        reference.record(vote)
                    }
                    // Send in uneven batches, as the sink would.
                    var offset = 0
                    while offset < stream.count {
                        let size = 1 + (stream[offset].sentAt.magnitude % 40)
                        let end = min(stream.count, offset + Int(size))
                        _ = try? await store.record(Array(stream[offset..<end]), chunkSize: 7)
                        offset = end
                    }
                    let snapshot = try? await store.snapshot(pollID: poll.id, optionCount: 4, channels: poll.channels)
                    #expect(snapshot?.votes == reference.votes, "\(rule)")
                    #expect(snapshot?.channels == reference.channels, "\(rule)")
                }
            }
        }
    }
}
