import Core
import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import TwitchSimulator

/// The poll lifecycle end to end: the daemon as a process, its own PostgreSQL and Redis, chat from the simulator,
/// everything driven through the HTTP API, and the final rows read back from PostgreSQL.
@Suite(.serialized) struct PollLifecycleTests {
    static let channels = ["alpha_gm", "bravo_gm", "charlie_gm"]
    static let options = ["Fight", "Flee", "Talk"]

    /// A scripted chat for a poll: first-round votes, moves, resends and noise, with the tally the rules give.
    struct Script {
        var messages: [(channel: String, message: SimulatedMessage)] = []
        var reference: ReferenceTally

        init(pollID: String, startedAt: Int64, endsAt: Int64, users: Range<Int>, seed: Int) {
            let poll = RunningPoll(
                id: pollID,
                optionCount: 3,
                channels: PollLifecycleTests.channels,
                rule: .unique,
                startedAt: startedAt,
                endsAt: endsAt
            )
            self.reference = ReferenceTally(poll: poll)
            var sentAt = startedAt + 500 + Int64(seed)
            func add(_ channel: String, user: Int, text: String, option: Int?, id: String) {
                sentAt += 3
                let message = SimulatedMessage(userID: "\(500_000 + user)", login: "viewer\(user)", text: text, id: id, sentAtMilliseconds: sentAt)
                self.messages.append((channel, message))
                if let option {
                    self.reference.record(
                        Vote(pollID: pollID, channel: channel, userID: message.userID, messageID: id, option: option, sentAt: sentAt)
                    )
                }
            }
            for user in users {
                let channel = PollLifecycleTests.channels[user % 3]
                let option = (user * 7 + seed) % 3
                add(channel, user: user, text: user % 2 == 0 ? "!\(option + 1)" : "\(option + 1)", option: option, id: "s\(seed)-v\(user)")
                if user % 11 == 0 { add(channel, user: user, text: "gg", option: nil, id: "s\(seed)-n\(user)") }
            }
            for user in users where user % 6 == 0 {
                // A change of mind in another channel: the newer vote moves.
                add(PollLifecycleTests.channels[(user + 1) % 3], user: user, text: "!vote 1", option: 0, id: "s\(seed)-m\(user)")
            }
            // Twitch resends a few messages (IRC-T5): same ids, counted once.
            let resends = self.messages.prefix(10)
            self.messages += resends
        }
    }

    static func startPoll(_ harness: PollHarness, duration: Int) async throws -> (id: String, startedAt: Int64, endsAt: Int64) {
        for login in Self.channels {
            let added = try await harness.request("POST", "/api/v1/channels", json: ["login": login])
            #expect(added.status == 201)
        }
        let started = try await harness.request(
            "POST",
            "/api/v1/polls",
            json: ["title": "What do you do?", "options": Self.options, "durationSeconds": duration, "channels": Self.channels]
        )
        try #require(started.status == 201, "poll start answered \(started.status): \(started.body)")
        let poll = started.json
        let id = try #require(poll["id"] as? String)
        let startedAt = try #require((poll["startedAt"] as? String).flatMap(Self.milliseconds))
        let endsAt = try #require((poll["endsAt"] as? String).flatMap(Self.milliseconds))
        #expect(endsAt - startedAt == Int64(duration) * 1000)
        return (id, startedAt, endsAt)
    }

    static func milliseconds(_ text: String) -> Int64? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))).map {
            Int64(($0.timeIntervalSince1970 * 1000).rounded())
        }
    }

    /// Checks the final rows in PostgreSQL and the API's answers against the reference tally.
    static func checkFinal(_ harness: PollHarness, id: String, reference: ReferenceTally, status: String = "ended") async throws {
        let expected = TallySummary(votes: reference.votes)
        let poll = try await harness.awaitPoll(id, within: .seconds(60), "poll \(id) to be \(status)") { $0.status == status }
        #expect(poll.votes == expected.votes)
        #expect(poll.totalVotes == expected.totalVotes)
        #expect(poll.winners == expected.winners)
        for login in Self.channels { #expect(poll.channelVotes(login) == reference.channels[login]) }
        #expect(poll["endedAt"] is String)

        let uuid = try #require(UUID(uuidString: id))
        try await harness.withDatabase { client in
            let rows = try await client.query("SELECT status, votes, total_votes, winners FROM polls WHERE id = \(uuid)")
            var found = 0
            for try await (rowStatus, votes, total, winners) in rows.decode((String, [Int64], Int64, [Int32]).self) {
                found += 1
                #expect(rowStatus == status)
                #expect(votes.map { Int($0) } == expected.votes)
                #expect(Int(total) == expected.totalVotes)
                #expect(winners.map { Int($0) } == expected.winners)
            }
            #expect(found == 1)
            let count = try await client.query("SELECT count(*) FROM polls")
            for try await total in count.decode(Int64.self) { #expect(total == 1) }
            let channelRows = try await client.query(
                """
                SELECT c.login, pc.votes, pc.total_votes, pc.status FROM poll_channels pc JOIN channels c ON c.id = pc.channel_id
                WHERE pc.poll_id = \(uuid) ORDER BY c.login
                """
            )
            var logins: [String] = []
            for try await (login, votes, total, channelStatus) in channelRows.decode((String, [Int64], Int64, String).self) {
                logins.append(login)
                #expect(votes.map { Int($0) } == reference.channels[login], "votes of \(login)")
                #expect(Int(total) == reference.channels[login]?.reduce(0, +))
                #expect(channelStatus == status)
            }
            #expect(logins == Self.channels)
        }
        let history = try await harness.request("GET", "/api/v1/polls?status=\(status)")
        let listed = try #require(history.json["polls"] as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        #expect(listed.first?.votes == expected.votes)
    }

    static func withSimulator(_ body: @Sendable (IRCSimulator) async throws -> Void) async throws {
        let simulator = IRCSimulator(logger: TestServices.quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            defer { group.cancelAll() }
            try await body(simulator)
        }
    }

    /// Sends the script's messages and waits until the API shows their tally.
    static func send(_ script: Script, upTo reference: ReferenceTally? = nil, simulator: IRCSimulator, harness: PollHarness, id: String) async throws
    {
        await simulator.privmsgs(script.messages)
        let total = (reference ?? script.reference).votes.reduce(0, +)
        _ = try await harness.awaitPoll(id, within: .seconds(30), "\(total) votes counted") { $0.totalVotes == total }
    }

    @Test("a poll over 3 channels ends on time with exactly the scripted counts everywhere, even with its channels removed mid-poll")
    func naturalEnd() async throws {
        try await Self.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let poll = try await Self.startPoll(harness, duration: 15)
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(30))
            let script = Script(pollID: poll.id, startedAt: poll.startedAt, endsAt: poll.endsAt, users: 0..<240, seed: 0)
            try await Self.send(script, simulator: simulator, harness: harness, id: poll.id)
            #expect(script.reference.votes.reduce(0, +) == 240)
            // The GM removes every channel mid-poll: the poll keeps counting to its end; chat parts them after it.
            for login in Self.channels {
                #expect(try await harness.request("DELETE", "/api/v1/channels/\(login)").status == 204)
            }
            #expect(simulator.snapshot().connections.first.map { Set(Self.channels).isSubset(of: $0.joinedChannels) } == true)
            try await Self.checkFinal(harness, id: poll.id, reference: script.reference)
            #expect(harness.daemon.output.contains { $0.contains("poll ended") && $0.contains("poll.end_reason=deadline") })
            try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.allSatisfy { $0.joinedChannels.isDisjoint(with: Self.channels) }
            }
            try await harness.stop()
        }
    }

    @Test("kill -9 mid-poll and restart: the poll still runs, its deadline fires, the result is written once")
    func killNineMidPoll() async throws {
        try await Self.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let poll = try await Self.startPoll(harness, duration: 20)
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(30))
            let first = Script(pollID: poll.id, startedAt: poll.startedAt, endsAt: poll.endsAt, users: 0..<120, seed: 0)
            try await Self.send(first, simulator: simulator, harness: harness, id: poll.id)

            try await harness.killAndRestart()
            #expect(harness.daemon.output.contains { $0.contains("poll resumed") && $0.contains(poll.id) })
            let resumed = try await harness.request("GET", "/api/v1/polls/\(poll.id)")
            #expect(resumed.json.status == "running")
            #expect(resumed.json.totalVotes == first.reference.votes.reduce(0, +))
            // The new daemon's chat connection joins the three channels again.
            try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.count == 1 && Set(Self.channels).isSubset(of: snapshot.connections[0].joinedChannels)
            }
            var second = Script(pollID: poll.id, startedAt: poll.startedAt, endsAt: poll.endsAt, users: 120..<240, seed: 1)
            var reference = first.reference
            for (channel, message) in second.messages {
                guard let option = Int(message.text.filter(\.isNumber)) else { continue }
                reference.record(
                    Vote(
                        pollID: poll.id,
                        channel: channel,
                        userID: message.userID,
                        messageID: message.id,
                        option: option - 1,
                        sentAt: message.sentAtMilliseconds
                    )
                )
            }
            second.reference = reference
            try await Self.send(second, simulator: simulator, harness: harness, id: poll.id)
            try await Self.checkFinal(harness, id: poll.id, reference: reference)
            try await harness.stop()
        }
    }

    @Test("no daemon running at the deadline: the next one to start finalises the poll from Redis, logged as late")
    func daemonDownAtDeadline() async throws {
        try await Self.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let poll = try await Self.startPoll(harness, duration: 15)
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(30))
            let script = Script(pollID: poll.id, startedAt: poll.startedAt, endsAt: poll.endsAt, users: 0..<60, seed: 3)
            try await Self.send(script, simulator: simulator, harness: harness, id: poll.id)
            try await harness.kill()
            // Wait out the deadline, its grace and the lateness threshold with no daemon running.
            let lateAt = Date(timeIntervalSince1970: Double(poll.endsAt + 8_000) / 1000)
            try await Task.sleep(for: .milliseconds(max(0, Int(lateAt.timeIntervalSinceNow * 1000))))
            try await harness.restart()
            try await Self.checkFinal(harness, id: poll.id, reference: script.reference)
            #expect(harness.daemon.output.contains { $0.contains("poll ended") && $0.contains("poll.end_reason=late") })
            let uuid = try #require(UUID(uuidString: poll.id))
            try await harness.withDatabase { client in
                for try await reason in try await client.query("SELECT end_reason FROM polls WHERE id = \(uuid)").decode(String.self) {
                    #expect(reason == "late")
                }
            }
            try await harness.stop()
        }
    }

    @Test("PostgreSQL down across the deadline: the poll shows ending, the write retries, then lands once")
    func postgresDownAtDeadline() async throws {
        try await Self.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator, privatePostgres: true)
            let poll = try await Self.startPoll(harness, duration: 15)
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(30))
            let script = Script(pollID: poll.id, startedAt: poll.startedAt, endsAt: poll.endsAt, users: 0..<90, seed: 2)
            try await Self.send(script, simulator: simulator, harness: harness, id: poll.id)

            let postgres = try #require(harness.postgres)
            try await postgres.stop()
            // Past the deadline and its grace, the daemon serves the poll from its memory and Redis as `ending`.
            let ending = try await harness.awaitPoll(poll.id, within: .seconds(40), "the poll to show ending") { $0.status == "ending" }
            #expect(ending.totalVotes == script.reference.votes.reduce(0, +))
            try await harness.eventually(within: .seconds(40), "a logged retry") {
                harness.daemon.output.contains { $0.contains("poll result not written yet") }
            }
            try await postgres.start()
            try await Self.checkFinal(harness, id: poll.id, reference: script.reference)
            try await harness.stop()
        }
    }
}
