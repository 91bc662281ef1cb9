import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import TwitchSimulator

/// The GM's SSE stream of a poll over a real socket: snapshot first, tallies as votes arrive, the end, and a
/// reconnect with `Last-Event-ID` that never goes back to older numbers.
@Suite struct GMStreamTests {
    /// One parsed SSE message.
    struct Event: Sendable {
        var name: String?
        var id: String?
        var data: String
        var retry: Int?
        var version: Int { self.id.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } } ?? -1 }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(self.data.utf8))) as? [String: Any] ?? [:] }
    }

    /// Reads a `text/event-stream` body into events, handing each to `until`; stops when it returns true.
    static func read(
        _ harness: PollHarness,
        path: String,
        lastEventID: String? = nil,
        until done: @escaping @Sendable (Event, [Event]) async throws -> Bool
    ) async throws -> (headers: HTTPHeaders, events: [Event]) {
        var request = HTTPClientRequest(url: harness.base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(harness.apiKey)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status == .ok)
        var events: [Event] = []
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending = String(pending[range.upperBound...])
                var event = Event(data: "")
                var data: [String] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                    if line.hasPrefix("retry: ") { event.retry = Int(line.dropFirst(7)) }
                }
                event.data = data.joined(separator: "\n")
                if block.hasPrefix(":") { continue }
                events.append(event)
                if try await done(event, events) { return (response.headers, events) }
            }
        }
        return (response.headers, events)
    }

    @Test(
        "SSE: retry first, then the poll.start snapshot, poll.tally as votes arrive with growing versions, poll.end; a reconnect resumes without going back"
    )
    func gmStream() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"]).status == 201)
            let started = try await harness.request("POST", "/api/v1/polls", json: PollAPITests.draft)
            let id = try #require(started.json["id"] as? String)
            try await simulator.waitForJoined(["alpha_gm"], timeout: .seconds(30))
            #expect(try await harness.request("GET", "/api/v1/polls/\(UUID().uuidString.lowercased())/events").status == 404)

            // First connection: the snapshot, then three votes, then away.
            let (headers, first) = try await Self.read(harness, path: "/api/v1/polls/\(id)/events") { event, _ in
                if event.name == "poll.start" {
                    for index in 0..<3 {
                        await simulator.privmsg(
                            SimulatedMessage(userID: "\(index)", login: "viewer\(index)", text: "!\(index % 2 + 1)"),
                            in: "alpha_gm"
                        )
                    }
                }
                return event.name == "poll.tally" && (event.json["totalVotes"] as? Int) == 3
            }
            #expect(headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
            #expect(headers["Cache-Control"].first == "no-cache")
            #expect(headers["X-Accel-Buffering"].first == "no")
            #expect(first.first?.retry == 2000)
            let named = first.filter { $0.name != nil }
            #expect(named.first?.name == "poll.start")
            #expect(((named.first?.json["poll"] as? [String: Any])?["id"] as? String) == id)
            #expect(named.allSatisfy { $0.id?.hasPrefix("\(id):") == true })
            let versions = named.map(\.version)
            #expect(versions == versions.sorted(), "versions went backwards: \(versions)")
            let last = try #require(named.last)

            // Two more votes while the client is away.
            for index in 3..<5 {
                await simulator.privmsg(SimulatedMessage(userID: "\(index)", login: "viewer\(index)", text: "!1"), in: "alpha_gm")
            }
            let current = try await harness.awaitPoll(id, "5 votes") { $0.totalVotes == 5 }
            let currentVersion = try #require((current["tally"] as? [String: Any])?["version"] as? Int)

            // Reconnecting with Last-Event-ID: the newest snapshot first, never an older version, then the end.
            let second = try await Self.read(harness, path: "/api/v1/polls/\(id)/events", lastEventID: last.id) { event, events in
                if events.filter({ $0.name != nil }).count == 1 {
                    _ = try await harness.request("POST", "/api/v1/polls/\(id)/end")
                }
                return event.name == "poll.end"
            }
            let resumed = second.events.filter { $0.name != nil }
            #expect(resumed.first?.version == currentVersion)
            #expect(resumed.allSatisfy { $0.version > last.version })
            let end = try #require(resumed.last)
            #expect(end.name == "poll.end")
            #expect(end.json["status"] as? String == "ended")
            #expect(((end.json["tally"] as? [String: Any])?["votes"] as? [Int]) == [4, 1])

            // A new client gets the final result as its snapshot.
            let fresh = try await Self.read(harness, path: "/api/v1/polls/\(id)/events") { event, _ in event.name != nil }
            #expect(fresh.events.last?.name == "poll.end")
            #expect(fresh.events.last?.version == end.version)

            // SIGTERM with a stream open: the stream ends and the daemon still exits 0 within its grace period.
            let daemon = harness.daemon
            let open = try await Self.read(harness, path: "/api/v1/polls/\(id)/events") { event, _ in
                if event.retry != nil { daemon.send(SIGTERM) }
                return false
            }
            #expect(open.events.first?.retry == 2000)
            #expect(try await daemon.waitForExit(timeout: .seconds(15)) == 0)
            try await harness.stop()
        }
    }
}
