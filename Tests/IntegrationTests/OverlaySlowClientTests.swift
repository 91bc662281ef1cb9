import Foundation
import Synchronization
import TestSupport
import Testing
import TwitchSimulator

/// Back-pressure over real sockets: one overlay client that reads nothing is dropped with a bounded amount of
/// data sent to it, while 100 others on the same overlay keep receiving every update to the end of the poll.
@Suite struct OverlaySlowClientTests {
    /// Channels in the poll; their per-channel counts make each `poll.tally` about 1.5 KB.
    private static let channels = (1...20).map { String(format: "slowpoke_%02d", $0) }
    private static let readers = 100

    /// What one reading client saw.
    private struct Reader: Sendable {
        var tallies = 0
        var talliesAtDrop = -1
        var lastVersion = -1
        var wentBack = false
        var end: RawEventStream.Event?
    }

    @Test("SSE back-pressure: a client that reads nothing is dropped within a bounded buffer while 100 readers keep getting updates")
    func slowClientDropped() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(
                simulator: simulator,
                settings: ["SSE_COALESCE_MS": "20", "SSE_STALL_SECONDS": "3", "TWITCH_JOIN_LIMIT": "200"]
            )
            var overlayPath = ""
            for login in Self.channels {
                let reply = try await harness.request("POST", "/api/v1/channels", json: ["login": login])
                #expect(reply.status == 201)
                if overlayPath.isEmpty, let url = reply.json["overlayUrl"] as? String {
                    overlayPath = String(url.dropFirst(harness.base.count)) + "/events"
                }
            }
            try await simulator.waitForJoined(Set(Self.channels), timeout: .seconds(60))
            let started = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: [
                    "title": "Hold the bridge?", "options": ["yes", "no", "retreat", "parley", "burn it"], "channels": Self.channels,
                    "durationSeconds": 300,
                ]
            )
            #expect(started.status == 201)
            let pollID = try #require(started.json["id"] as? String)

            let readers = Shared([Reader](repeating: Reader(), count: Self.readers))
            let (snapshots, snapshotSeen) = AsyncStream<Bool>.makeStream()
            let path = overlayPath
            let port = harness.port
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<Self.readers {
                    group.addTask {
                        // A reader that ends signals false, so a failure ends the snapshot wait instead of hanging it.
                        defer { snapshotSeen.yield(false) }
                        return try await RawEventStream.read(port: port, path: path) { event in
                            switch event.name {
                            case "poll.start":
                                snapshotSeen.yield(true)
                            case "poll.tally":
                                readers.withLock {
                                    $0[index].tallies += 1
                                    if event.version < $0[index].lastVersion { $0[index].wentBack = true }
                                    $0[index].lastVersion = event.version
                                }
                            case "poll.end":
                                readers.withLock { $0[index].end = event }
                                return true
                            default:
                                break
                            }
                            return false
                        }
                    }
                }
                var seen = 0
                for await snapshot in snapshots {
                    try #require(snapshot, "a reader's stream ended before every reader had its snapshot")
                    seen += 1
                    if seen == Self.readers { break }
                }

                let stalled = try await StalledClient(port: port, path: path)
                // Voters keep coming (one unique voter every 2 ms, across the channels) until the daemon drops
                // the stalled client, and for a while after, so the readers have updates on both sides of it.
                let sent = Shared(0)
                let voting = Task {
                    var voter = 0
                    while !Task.isCancelled {
                        var batch: [(channel: String, message: SimulatedMessage)] = []
                        for _ in 0..<10 {
                            voter += 1
                            let channel = Self.channels[voter % Self.channels.count]
                            batch.append((channel, SimulatedMessage(userID: "\(900_000 + voter)", login: "v\(voter)", text: "!\(voter % 5 + 1)")))
                        }
                        await simulator.privmsgs(batch)
                        sent.withLock { $0 = voter }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
                let drop = try await harness.daemon.waitForLine(timeout: .seconds(60)) { $0.contains("slow SSE client dropped") }
                readers.withLock { all in
                    for index in all.indices { all[index].talliesAtDrop = all[index].tallies }
                }
                let slowBytes = try await stalled.drain(within: .seconds(10))
                let votesAtDrop = sent.withLock { $0 }
                // Let at least 200 more votes through, then stop voting and end the poll.
                while sent.withLock({ $0 }) < votesAtDrop + 200 { try await Task.sleep(for: .milliseconds(10)) }
                voting.cancel()
                await voting.value
                let total = sent.withLock { $0 }
                _ = try await harness.awaitPoll(pollID, "all \(total) votes counted") { poll in
                    ((poll["tally"] as? [String: Any])?["totalVotes"] as? Int) == total
                }
                #expect([200, 202].contains(try await harness.request("POST", "/api/v1/polls/\(pollID)/end").status))

                var readBytes: [Int] = []
                for try await bytes in group { readBytes.append(bytes) }
                await stalled.close()

                #expect(drop.contains("stalled") || drop.contains("buffer_full"))
                let seenByReaders = readers.withLock { $0 }
                #expect(readBytes.count == Self.readers)
                for reader in seenByReaders {
                    #expect(!reader.wentBack)
                    #expect(reader.tallies > reader.talliesAtDrop, "a reader got no update after the drop")
                    let end = try #require(reader.end)
                    let tally = (try? JSONSerialization.jsonObject(with: Data(end.data.utf8)) as? [String: Any])?["tally"] as? [String: Any]
                    #expect(tally?["totalVotes"] as? Int == total)
                }
                // The stalled client got what fit in the socket buffers plus the hub's bounded queue; each reader
                // got the whole poll. (The test reports both so the bound is visible.)
                let smallestRead = readBytes.min() ?? 0
                print("slow client: \(slowBytes) bytes before the drop; readers: \(smallestRead)–\(readBytes.max() ?? 0) bytes each")
                #expect(slowBytes < smallestRead)
                #expect(slowBytes < 1_000_000)
            }
            try await harness.stop()
        }
    }
}
