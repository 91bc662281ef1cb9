import Foundation
import NIOHTTP1
import Synchronization
import TestSupport
import Testing
import TwitchSimulator

/// `GET /overlay/{token}/events` over a real socket: only its channel's polls, 404 for any unknown token, and a
/// rotation cuts the old token's open streams.
@Suite struct OverlayStreamTests {
    @Test("an overlay stream shows only its channel's poll; unknown tokens get 404; rotating the token ends the stream")
    func overlayStream() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let alpha = try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"])
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "bravo_gm"]).status == 201)
            let overlayURL = try #require(alpha.json["overlayUrl"] as? String)
            let path = String(overlayURL.dropFirst(harness.base.count)) + "/events"

            for bogus in ["/overlay/AAAAAAAAAAAAAAAAAAAAAA/events", "/overlay/short/events", "/overlay/\(String(repeating: "x", count: 300))/events"]
            {
                let reply = try await harness.anonymous("GET", bogus)
                #expect(reply.status == 404)
                #expect(reply.error["code"] as? String == "not_found")
            }
            try await simulator.waitForJoined(["alpha_gm", "bravo_gm"], timeout: .seconds(30))

            let mine = Mutex<String?>(nil)
            let (headers, events) = try await GMStreamTests.read(harness, path: path) { event, _ in
                if event.retry != nil {
                    // Connected, idle: a poll elsewhere, then one in this channel.
                    let other = try await harness.request(
                        "POST",
                        "/api/v1/polls",
                        json: ["title": "Elsewhere", "options": ["x", "y"], "channels": ["bravo_gm"]]
                    )
                    #expect(other.status == 201)
                    let here = try await harness.request(
                        "POST",
                        "/api/v1/polls",
                        json: ["title": "Here", "options": ["a", "b"], "channels": ["alpha_gm"]]
                    )
                    mine.withLock { $0 = here.json["id"] as? String }
                }
                if event.name == "poll.start" {
                    await simulator.privmsg(SimulatedMessage(userID: "1", login: "v1", text: "!2"), in: "alpha_gm")
                    await simulator.privmsg(SimulatedMessage(userID: "2", login: "v2", text: "!1"), in: "bravo_gm")
                }
                if event.name == "poll.tally" {
                    #expect(try await harness.request("POST", "/api/v1/channels/alpha_gm/overlay-token").status == 200)
                }
                return false  // Read until the server ends the stream.
            }
            #expect(headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
            let named = events.filter { $0.name != nil }
            #expect(named.map(\.name) == ["poll.start", "poll.tally"])
            let mineID = try #require(mine.withLock { $0 })
            #expect(named.allSatisfy { $0.id?.hasPrefix("\(mineID):") == true })
            #expect(named.last?.json["votes"] as? [Int] == [0, 1])

            // The old token is gone; the new one streams the running poll as its snapshot.
            #expect(try await harness.anonymous("GET", path).status == 404)
            let rotated = try await harness.request("GET", "/api/v1/channels")
            let newURL = try #require(
                (rotated.json["channels"] as? [[String: Any]])?.first { $0["login"] as? String == "alpha_gm" }?["overlayUrl"] as? String
            )
            let fresh = try await GMStreamTests.read(harness, path: String(newURL.dropFirst(harness.base.count)) + "/events") { event, _ in
                event.name != nil
            }
            #expect(fresh.events.last?.name == "poll.start")
            #expect(fresh.events.last?.id?.hasPrefix(mineID) == true)
            try await harness.stop()
        }
    }

    @Test("SSE: clients that go away leave the hub at once, not at the next heartbeat")
    func disconnectNoticed() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let alpha = try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"])
            let overlayURL = try #require(alpha.json["overlayUrl"] as? String)
            let path = String(overlayURL.dropFirst(harness.base.count)) + "/events"
            func connected() async throws -> Int? {
                let metrics = try await harness.anonymous("GET", "/metrics").body
                let line = metrics.split(separator: "\n").first { $0.hasPrefix("tumulte_sse_clients ") }
                return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) }
            }
            // Five clients read up to their first bytes, then close their sockets.
            for _ in 0..<5 {
                try await RawEventStream.read(port: harness.port, path: path) { _ in true }
            }
            let closedAt = ContinuousClock.now
            // The close is seen at once (0.03–0.25 s with the whole integration phase running). A write could notice
            // the leaver only at the heartbeat, 15 s after connecting, and a write to a closed peer fails only at the
            // second one: a bound of 5 s tells the two apart.
            var last: Int?
            do {
                try await harness.eventually(within: .seconds(5), "the hub to let the closed clients go") {
                    last = try await connected()
                    return last == 0
                }
            } catch {
                Issue.record(
                    "tumulte_sse_clients was \(last.map(String.init) ?? "absent"); daemon output:\n\(harness.daemon.output.suffix(20).joined(separator: "\n"))"
                )
                throw error
            }
            print("closed SSE clients left the hub after \(ContinuousClock.now - closedAt)")
            try await harness.stop()
        }
    }
}
