import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import TestSupport
import Testing
import TwitchSimulator

/// Two daemons sharing one PostgreSQL and one Redis (DESIGN §5): both read chat, each vote counts once, a poll
/// started on one is streamed by the other, and its deadline is finalised exactly once.
@Suite struct TwoDaemonTests {
    @Test("a poll started on daemon A: votes count once, B streams them, and exactly one daemon writes the result")
    func sharedPoll() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let second = try await harness.startSecondDaemon()
            for login in PollLifecycleTests.channels {
                #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": login]).status == 201)
            }
            let started = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Left or right?", "options": ["Left", "Right"], "durationSeconds": 15, "channels": PollLifecycleTests.channels]
            )
            let id = try #require(started.json["id"] as? String)
            // Both daemons join the poll's channels (B learns of the poll from A's start message).
            try await simulator.waitForJoined(Set(PollLifecycleTests.channels), connections: 2, timeout: .seconds(30))

            // B's stream of the poll, read while votes arrive through both daemons' chat connections.
            var request = HTTPClientRequest(url: second.base + "/api/v1/polls/\(id)/events")
            request.headers.add(name: "Authorization", value: "Bearer \(harness.apiKey)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(response.status == .ok)
            var sawVotes = false
            var text = ""
            for try await chunk in response.body {
                text += String(buffer: chunk)
                if text.contains("event: poll.start") && !sawVotes {
                    sawVotes = true
                    for index in 0..<10 {
                        let channel = PollLifecycleTests.channels[index % 3]
                        await simulator.privmsg(SimulatedMessage(userID: "\(index)", login: "viewer\(index)", text: "!\(index % 2 + 1)"), in: channel)
                    }
                }
                if text.contains("event: poll.end") { break }
            }
            let lastData = try #require(text.components(separatedBy: "event: poll.end").last?.components(separatedBy: "data: ").last)
            let end = try #require(
                try JSONSerialization.jsonObject(with: Data(lastData.split(separator: "\n").first.map(String.init)?.utf8 ?? "".utf8))
                    as? [String: Any]
            )
            #expect(((end["tally"] as? [String: Any])?["votes"] as? [Int]) == [5, 5])

            let ended = try await harness.awaitPoll(id, "the poll to end") { $0.status == "ended" }
            #expect(ended.votes == [5, 5])
            // Each daemon logs "poll ended" only when its write landed: exactly one did.
            let writers = [harness.daemon.output, second.process.output].filter { lines in
                lines.contains { $0.contains("poll ended") && $0.contains(id) }
            }
            #expect(writers.count == 1)
            second.process.send(SIGTERM)
            #expect(try await second.process.waitForExit(timeout: .seconds(15)) == 0)
            try await harness.stop()
        }
    }
}
