import ChatBridge
import Core
import Daemon
import Foundation
import Logging
import NIOCore
import Redis
import Storage
import TestSupport
import Testing
import TwitchSimulator

/// The chat-vote pipeline end to end: simulator → chat pool → parser → sink → Lua in a real Redis.
@Suite(.serialized) struct ChatVotingTests {
    static let channels = ["alpha_gm", "bravo_gm", "charlie_gm"]
    static let base: Int64 = 1_800_000_000_000

    /// A scripted chat: what the simulator sends, and the tally the rules give for it, computed independently.
    struct Script {
        var batches: [[(channel: String, message: SimulatedMessage)]] = []
        var reference: ReferenceTally
        var voteMessages = 0
    }

    /// Deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(self.next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { self.int(0..<100) < percent }
    }

    /// 20,000 chatters, 100,000 vote messages mixed with noise, `/me`, replies, Shared Chat copies, resends,
    /// moves between options and channels, and votes before the start and after the end.
    static func makeScript(poll: RunningPoll, roomID: (String) -> String, voteCount: Int = 100_000, chatters: Int = 20_000) -> Script {
        var random = Random(state: 42)
        var script = Script(reference: ReferenceTally(poll: poll))
        var pending: [(channel: String, message: SimulatedMessage)] = []
        var sent: [(channel: String, message: SimulatedMessage)] = []
        func emit(_ channel: String, _ message: SimulatedMessage) {
            pending.append((channel, message))
            sent.append((channel, message))
            if pending.count == 1_000 {
                script.batches.append(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        for index in 0..<voteCount {
            let user = random.int(0..<chatters)
            let home = Self.channels[user % 3]
            let channel = random.chance(10) ? Self.channels[random.int(0..<3)] : home
            let option = random.int(1..<5)
            var sentAt = Self.base + Int64(index) * 10
            if random.chance(1) { sentAt = poll.startedAt - 1 - Int64(index) }
            if random.chance(1) { sentAt = poll.endsAt + 1 + Int64(index) }
            let form = random.int(0..<100)
            let text: String
            var isAction = false
            var reply: SimulatedMessage.Reply?
            switch form {
            case 0..<55: text = "!\(option)"
            case 55..<70: text = "\(option)"
            case 70..<80: text = random.chance(50) ? "!vote \(option)" : "!VOTE \(option)"
            case 80..<92:
                text = "!\(option)"
                isAction = true
            default:
                text = "\(option)"
                reply = .init(messageID: "parent-\(index)", userID: "9", login: "gamemaster", body: "vote now!")
            }
            let message = SimulatedMessage(
                userID: "\(1_000_000 + user)",
                login: "viewer\(user)",
                text: text,
                isAction: isAction,
                id: "vote-\(index)",
                sentAtMilliseconds: sentAt,
                reply: reply
            )
            emit(channel, message)
            script.voteMessages += 1
            script.reference.record(
                Vote(pollID: poll.id, channel: channel, userID: message.userID, messageID: message.id, option: option - 1, sentAt: sentAt)
            )
            // Shared Chat: the same message copied into another channel of the poll counts once, for its source.
            if random.chance(2) {
                let other = Self.channels[(Self.channels.firstIndex(of: channel)! + 1) % 3]
                var copy = message
                copy.id = "copy-\(index)"
                copy.sharedChat = .init(messageID: message.id, roomID: roomID(channel))
                emit(other, copy)
                script.reference.record(
                    Vote(
                        pollID: poll.id,
                        channel: channel,
                        userID: message.userID,
                        messageID: copy.id,
                        sourceMessageID: message.id,
                        option: option - 1,
                        sentAt: sentAt
                    )
                )
            }
            // Twitch resends a message now and then (IRC-T5).
            if random.chance(2), let earlier = sent.dropLast().last {
                emit(earlier.channel, earlier.message)
                if let vote = Self.vote(from: earlier.message, channel: earlier.channel, poll: poll) { script.reference.record(vote) }
            }
            // Chat noise, including near-votes that must not count.
            if random.chance(20) {
                let noise = ["gg", "!3 lol", "!vote", "5!", "pog", "!0", "!12", "what is option 2?", "!vote2"][random.int(0..<9)]
                emit(
                    channel,
                    SimulatedMessage(
                        userID: "\(1_000_000 + user)",
                        login: "viewer\(user)",
                        text: noise,
                        id: "noise-\(index)",
                        sentAtMilliseconds: sentAt
                    )
                )
            }
        }
        if !pending.isEmpty { script.batches.append(pending) }
        return script
    }

    /// The vote a resent message stands for (resends repeat ids, so the reference drops them).
    static func vote(from message: SimulatedMessage, channel: String, poll: RunningPoll) -> Vote? {
        guard message.id.hasPrefix("vote-") || message.id.hasPrefix("copy-") else { return nil }
        let digits = message.text.filter(\.isNumber)
        guard let option = Int(digits) else { return nil }
        let source = message.sharedChat?.messageID
        let counted = source == nil ? channel : Self.channels[(Self.channels.firstIndex(of: channel)! + 2) % 3]
        return Vote(
            pollID: poll.id,
            channel: counted,
            userID: message.userID,
            messageID: message.id,
            sourceMessageID: source,
            option: option - 1,
            sentAt: message.sentAtMilliseconds
        )
    }

    @Test(
        "IRC-R1 IRC-R2 IRC-R3 IRC-T5 IRC-G4 IRC-G9: 100,000 votes over a RECONNECT and a hard drop give exactly the scripted tally",
        arguments: VoteRule.allCases,
        [false, true]
    )
    func scriptedTally(rule: VoteRule, redisOutage: Bool) async throws {
        let redisServer = redisOutage ? try await RedisServerProcess(durable: true) : nil
        var redisConfiguration = TestServices.redisConfiguration
        if let redisServer { redisConfiguration.port = redisServer.port }
        let logger = TestServices.quietLogger
        // Twitch re-sends the messages of a reconnect overlap; a window wide enough for a loaded machine's slowest
        // reconnect models that (replays repeat message ids, which the counter drops).
        var options = IRCSimulator.Options()
        options.replayWindow = 10_000
        let simulator = IRCSimulator(options: options, logger: logger)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let store = TallyStore(redis: redis, prefix: "test-\(UUID().uuidString.prefix(8))")
        let sink = VoteSink(store: store, logger: logger)
        let registry = PollRegistry()

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            group.addTask { await redis.run() }
            group.addTask { await sink.run() }
            defer { group.cancelAll() }
            let url = "ws://127.0.0.1:\(await simulator.boundPort())"
            let pool = ChatConnectionPool(configuration: .init(url: url), logger: logger)
            let counter = VoteCounter(registry: registry, store: store, pool: pool)
            group.addTask {
                try await ChatIngestService(pool: pool, pipeline: ChatVotePipeline(registry: registry, sink: sink, logger: logger)).run()
            }
            try await redis.waitUntilConnected()

            let poll = RunningPoll(
                id: UUID().uuidString.lowercased(),
                optionCount: 4,
                channels: Self.channels,
                rule: rule,
                startedAt: Self.base,
                endsAt: Self.base + 1_000_000 - 5_000
            )
            let script = Self.makeScript(poll: poll, roomID: simulator.roomID(of:))
            #expect(script.voteMessages == 100_000)
            try await counter.start(poll)
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(30))

            // Waits until everything sent up to batch `last` is counted. Before a connection goes away, so that
            // what it loses is only what the test means it to: on a loaded machine the pool can fall further behind
            // than the replay window (and the simulator buffers without limit), and lines cut off that way are lost
            // on real Twitch too. The replay then repeats only counted lines, and the counter must drop them all.
            func countedUpTo(_ last: Int) async throws {
                var sentSoFar = ReferenceTally(poll: poll)
                for (channel, message) in script.batches[...last].joined() {
                    if let vote = Self.vote(from: message, channel: channel, poll: poll) { sentSoFar.record(vote) }
                }
                try await redis.waitUntilConnected(timeout: .seconds(30))
                _ = try await Self.awaitTally(store: store, redis: redis, poll: poll, expected: sentSoFar, timeout: .seconds(120))
            }

            let count = script.batches.count
            var index = 0
            while index < count {
                await simulator.privmsgs(script.batches[index])
                if index == count * 3 / 10 {
                    // Planned maintenance: the pool opens a new connection and joins there before closing this one.
                    try await countedUpTo(index)
                    let before = Set(simulator.snapshot().connections.map(\.id))
                    await simulator.sendReconnect()
                    // Chat resumes once the pool has moved: the new connection joined (with its replay) and the old
                    // one closed. Sending meanwhile would measure the load, not the pool.
                    try await simulator.waitUntil(timeout: .seconds(60)) { snapshot in
                        !snapshot.connections.isEmpty && snapshot.connections.allSatisfy { !before.contains($0.id) }
                            && Set(Self.channels).isSubset(of: snapshot.connections.flatMap(\.joinedChannels))
                    }
                }
                if let redisServer, index == count / 2 {
                    try await redisServer.stop()
                    let stopped = ContinuousClock.now
                    // Chat keeps flowing while Redis is away for 5 s; the sink queues the votes.
                    for next in (index + 1)..<min(count, index + 6) { await simulator.privmsgs(script.batches[next]) }
                    index = min(count, index + 6) - 1
                    try await Task.sleep(until: stopped + .seconds(5))
                    try await redisServer.start()
                }
                if index == count * 7 / 10 {
                    // A network cut: no close frame. The pool reconnects and rejoins; Twitch replays recent lines.
                    try await countedUpTo(index)
                    await simulator.dropConnections()
                    try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(60))
                }
                index += 1
            }

            let expected = script.reference
            #expect(expected.votes.reduce(0, +) > 10_000, "the script must exercise a real tally")
            let final = try await Self.awaitTally(store: store, redis: redis, poll: poll, expected: expected, timeout: .seconds(120))
            #expect(final.votes == expected.votes)
            #expect(final.channels == expected.channels)
            #expect(sink.droppedCount == 0)
            try await counter.store.expire(pollID: poll.id, after: 60)
        }
    }

    /// Waits, by the tally's change notices, until the counts equal `expected`; returns the last snapshot.
    static func awaitTally(
        store: TallyStore,
        redis: RedisClient,
        poll: RunningPoll,
        expected: ReferenceTally,
        timeout: Duration
    ) async throws -> TallySnapshot {
        try await withThrowingTaskGroup(of: TallySnapshot?.self) { group in
            group.addTask {
                try await redis.subscribe(to: [store.noticeChannel]) { notices in
                    var snapshot = try await store.snapshot(pollID: poll.id, optionCount: poll.optionCount, channels: poll.channels)
                    if snapshot.votes == expected.votes && snapshot.channels == expected.channels { return snapshot }
                    for try await notice in notices where String(buffer: notice.payload).hasPrefix(poll.id) {
                        snapshot = try await store.snapshot(pollID: poll.id, optionCount: poll.optionCount, channels: poll.channels)
                        if snapshot.votes == expected.votes && snapshot.channels == expected.channels { return snapshot }
                    }
                    return snapshot
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            let last = try await store.snapshot(pollID: poll.id, optionCount: poll.optionCount, channels: poll.channels)
            Issue.record(
                "tally did not reach the expected counts within \(timeout): got \(last.votes) \(last.channels), expected \(expected.votes) \(expected.channels)"
            )
            return last
        }
    }
}
