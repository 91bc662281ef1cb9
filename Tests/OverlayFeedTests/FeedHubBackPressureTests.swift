import OverlayFeed
import Synchronization
import Testing

/// Slow clients (DESIGN.md §4 "SSE": a slow client is dropped rather than allowed to grow the daemon's
/// memory): bounded buffers, newest-tally replacement, drops for overflow and stalls, others unaffected.
@Suite(.timeLimit(.minutes(1)))
struct FeedHubBackPressureTests {
    @Test func ssePendingTallyIsReplacedByTheNewestInsteadOfQueued() async throws {
        let harness = HubHarness()
        try await harness.running {
            var client = harness.connect("poll:p1")
            #expect(await client.skipRetry())
            harness.hub.publish(FeedEvent(kind: .start, pollID: "p1", version: 0, data: "{}"), to: ["poll:p1"])
            for version in 1...1_000 {
                harness.hub.publish(FakeFeedSource.tally("p1", version), to: ["poll:p1"])
            }
            harness.hub.publish(FakeFeedSource.tally("p2", 1), to: ["poll:p1"])
            #expect(await client.nextText() == frame(FeedEvent(kind: .start, pollID: "p1", version: 0, data: "{}")))
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p1", 1_000)))
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p2", 1)))
            #expect(harness.hub.clientCount == 1)
            #expect(harness.counter("tumulte_sse_dropped_total", [("reason", "buffer_full")]) == 0)
        }
    }

    @Test func sseClientThatNeverReadsIsDroppedWhenItsBufferWouldOverflowWhileHundredOthersGetEveryEvent() async throws {
        let harness = HubHarness()
        let drops = Mutex([String]())
        try await harness.running {
            var slow = harness.connect("overlay:a") { drops.withLock { $0.append("slow") } }
            var fast = (0..<100).map { _ in harness.connect("overlay:a") { drops.withLock { $0.append("fast") } } }
            for index in fast.indices { #expect(await fast[index].skipRetry()) }
            #expect(harness.gauge("tumulte_sse_clients") == 101)

            // Distinct polls' events cannot replace each other: the slow client's buffer fills up.
            for number in 1...20 {
                let event = FeedEvent(kind: .start, pollID: "p\(number)", version: 0, data: "{}")
                harness.hub.publish(event, to: ["overlay:a"])
                for index in fast.indices { #expect(await fast[index].nextText() == frame(event)) }
                #expect(harness.hub.clientCount == (number <= 16 ? 101 : 100))
            }
            let slowEnd = await slow.next()
            #expect(slowEnd == nil)
            #expect(harness.gauge("tumulte_sse_clients") == 100)
            #expect(harness.counter("tumulte_sse_dropped_total", [("reason", "buffer_full")]) == 1)
            #expect(harness.counter("tumulte_sse_events_total") == 2_000)
            let line = try #require(harness.logs.entries.first { $0.message == "slow SSE client dropped" })
            #expect(line.metadata["feed.reason"] == "buffer_full")
            #expect(line.metadata["feed.topic"] == "overlay:a")
            #expect(line.metadata["feed.pending"] == "16")
            // Only the dropped client's hook ran (the HTTP layer closes its connection there).
            #expect(drops.withLock { $0 } == ["slow"])
        }
    }

    @Test func sseDropHookRunsOnlyForDropsNotWhenAClientLeavesOrItsTopicCloses() async throws {
        let harness = HubHarness()
        let calls = Mutex(0)
        try await harness.running {
            var leaving = harness.connect("overlay:a") { calls.withLock { $0 += 1 } }
            var closed = harness.connect("overlay:b") { calls.withLock { $0 += 1 } }
            #expect(await leaving.skipRetry())
            #expect(await closed.skipRetry())
            harness.hub.close(topic: "overlay:b")
            let closedEnd = await closed.next()
            #expect(closedEnd == nil)
            _ = consume leaving
            #expect(harness.hub.clientCount == 0)
        }
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func sseClientWhosePendingEventsSitPastTheStallTimeoutIsDroppedAndOthersAreNot() async throws {
        let harness = HubHarness { $0.heartbeatInterval = .seconds(3_600) }
        try await harness.running {
            var stalled = harness.connect("overlay:a")
            var reader = harness.connect("overlay:a")
            #expect(await reader.skipRetry())
            harness.hub.publish(FakeFeedSource.tally("p1", 1), to: ["overlay:a"])
            #expect(await reader.nextText() == frame(FakeFeedSource.tally("p1", 1)))

            // The stalled client's tally is replaced, but it has had one pending since time zero.
            harness.clock.advance(by: .seconds(29))
            harness.hub.publish(FakeFeedSource.tally("p1", 2), to: ["overlay:a"])
            #expect(await reader.nextText() == frame(FakeFeedSource.tally("p1", 2)))
            #expect(harness.hub.clientCount == 2)

            harness.clock.advance(by: .seconds(1))
            let line = await harness.logs.first { $0.message == "slow SSE client dropped" }
            #expect(line.metadata["feed.reason"] == "stalled")
            #expect(harness.hub.clientCount == 1)
            let stalledEnd = await stalled.next()
            #expect(stalledEnd == nil)
            #expect(harness.counter("tumulte_sse_dropped_total", [("reason", "stalled")]) == 1)
            harness.hub.publish(FakeFeedSource.tally("p1", 3), to: ["overlay:a"])
            #expect(await reader.nextText() == frame(FakeFeedSource.tally("p1", 3)))
        }
    }

    @Test func sseIdleClientThatStopsReadingIsDroppedByItsUnreadHeartbeat() async throws {
        let harness = HubHarness { $0.stallTimeout = .seconds(20) }
        try await harness.running {
            var stalled = harness.connect("overlay:a")
            #expect(await stalled.skipRetry())
            var reader = harness.connect("overlay:a")
            #expect(await reader.skipRetry())
            harness.clock.advance(by: .seconds(15))
            #expect(await reader.nextText() == pingFrame)
            harness.clock.advance(by: .seconds(15))
            #expect(await reader.nextText() == pingFrame)
            harness.clock.advance(by: .seconds(5))
            // The stalled client's first heartbeat has waited 20 s now; the reader is still waiting for events.
            harness.hub.publish(FakeFeedSource.tally("p1", 1), to: ["overlay:a"])
            #expect(await reader.nextText() == frame(FakeFeedSource.tally("p1", 1)))
            _ = await harness.logs.first { $0.message == "slow SSE client dropped" }
            let stalledEnd = await stalled.next()
            #expect(stalledEnd == nil)
            #expect(harness.hub.clientCount == 1)
        }
    }
}
