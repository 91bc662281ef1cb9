import Logging
import OverlayFeed
import Testing

/// Change notices become SSE `poll.tally` events through coalescing (DESIGN.md §3 "Live feed": at most one
/// `poll.tally` per 100 ms per poll), whatever the number of notices and clients.
@Suite(.timeLimit(.minutes(1)))
struct FeedHubCoalescingTests {
    @Test func sseFirstNoticeAfterQuietPeriodIsDeliveredWithoutWaitingForTheInterval() async throws {
        let harness = HubHarness()
        harness.source.setVersion(1, of: "p1", topics: ["poll:p1"])
        try await harness.running {
            var client = harness.connect("poll:p1")
            #expect(await client.skipRetry())
            harness.hub.notice(pollID: "p1", version: 1)
            // The clock never moves: the event must come without an interval elapsing.
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p1", 1)))
            #expect(harness.source.updateCalls(of: "p1") == 1)
        }
    }

    @Test func sseBurstOfThousandNoticesToFiftyClientsCostsTwoUpdateCalls() async throws {
        let harness = HubHarness()
        try await harness.running {
            var clients = (0..<50).map { _ in harness.connect("poll:p1") }
            for index in clients.indices { #expect(await clients[index].skipRetry()) }

            harness.source.setVersion(1, of: "p1", topics: ["poll:p1"])
            harness.hub.notice(pollID: "p1", version: 1)
            for index in clients.indices {
                #expect(await clients[index].nextText() == frame(FakeFeedSource.tally("p1", 1)))
            }
            // The rest of the burst, within one interval (the clock is frozen).
            for version in 2...1_000 {
                harness.source.setVersion(version, of: "p1", topics: ["poll:p1"])
                harness.hub.notice(pollID: "p1", version: version)
            }
            // The hub has planned the trailing update for one interval after the leading one, and made no
            // other call meanwhile.
            await harness.clock.waitForSleeper(until: .milliseconds(100))
            #expect(harness.source.updateCalls(of: "p1") == 1)
            harness.clock.advance(by: .milliseconds(100))
            // One trailing update at the newest version; no client sees an intermediate one.
            for index in clients.indices {
                #expect(await clients[index].nextText() == frame(FakeFeedSource.tally("p1", 1_000)))
            }
            #expect(harness.source.updateCalls(of: "p1") == 2)
            #expect(harness.counter("tumulte_sse_events_total") == 100)
        }
    }

    @Test func sseConcurrentBurstWithRacingVersionsEndsAtTheNewestAndStaysMonotonic() async throws {
        let harness = HubHarness()
        harness.source.setVersion(0, of: "p1", topics: ["poll:p1", "overlay:a"])
        try await harness.running {
            var clients = [harness.connect("poll:p1"), harness.connect("overlay:a")]
            for index in clients.indices { #expect(await clients[index].skipRetry()) }
            // Notices race with the hub's first update call.
            for version in 1...1_000 {
                harness.source.setVersion(version, of: "p1", topics: ["poll:p1", "overlay:a"])
                harness.hub.notice(pollID: "p1", version: version)
            }
            harness.clock.advance(by: .milliseconds(100))
            for index in clients.indices {
                var last = 0
                while last < 1_000 {
                    let text = try #require(await clients[index].nextText())
                    let version = try #require(text.split(separator: "\n").first.flatMap { Int($0.split(separator: ":").last!) })
                    #expect(version > last)
                    last = version
                }
            }
            #expect((1...2).contains(harness.source.updateCalls(of: "p1")))
        }
    }

    @Test func sseUpdateCallsOfOnePollNeverOverlapAndNoticesNeverWaitForThem() async throws {
        let harness = HubHarness()
        harness.source.setVersion(1, of: "p1", topics: ["poll:p1"])
        harness.source.hold()
        try await harness.running {
            var client = harness.connect("poll:p1")
            #expect(await client.skipRetry())
            harness.hub.notice(pollID: "p1", version: 1)
            await harness.source.waitForHeldUpdate()
            // The update call is stuck (a slow Redis): notices and publishes still return at once.
            for version in 2...10_000 {
                harness.source.setVersion(version, of: "p1", topics: ["poll:p1"])
                harness.hub.notice(pollID: "p1", version: version)
            }
            harness.hub.publish(FakeFeedSource.tally("p9", 1), to: ["poll:p1"])
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p9", 1)))
            harness.clock.advance(by: .seconds(1))
            harness.source.release()
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p1", 10_000)))
            #expect(harness.source.maxConcurrentUpdates == 1)
            #expect(harness.source.updateCalls(of: "p1") <= 2)
        }
    }

    @Test func sseThrowingSourceIsLoggedWithThePollAndTheNextNoticeRetries() async throws {
        let harness = HubHarness()
        harness.source.setVersion(1, of: "p1", topics: ["poll:p1"])
        harness.source.setFailUpdates(true)
        try await harness.running {
            var client = harness.connect("poll:p1")
            #expect(await client.skipRetry())
            harness.hub.notice(pollID: "p1", version: 1)
            let failure = await harness.logs.first { $0.message.hasPrefix("SSE feed update failed") }
            #expect(failure.level == .warning)
            #expect(failure.metadata["feed.poll_id"] == "p1")
            #expect(failure.metadata["feed.error"] == "redis unreachable")

            harness.source.setFailUpdates(false)
            harness.source.setVersion(2, of: "p1", topics: ["poll:p1"])
            harness.hub.notice(pollID: "p1", version: 2)
            harness.clock.advance(by: .milliseconds(100))
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p1", 2)))
            #expect(harness.source.updateCalls(of: "p1") == 2)
        }
    }

    @Test func sseNilUpdateDropsTheNoticeQuietly() async throws {
        let harness = HubHarness()
        try await harness.running {
            var client = harness.connect("poll:p1")
            #expect(await client.skipRetry())
            harness.hub.notice(pollID: "unknown", version: 1)
            harness.source.setVersion(1, of: "p1", topics: ["poll:p1"])
            harness.hub.notice(pollID: "p1", version: 1)
            #expect(await client.nextText() == frame(FakeFeedSource.tally("p1", 1)))
            #expect(harness.logs.entries.allSatisfy { $0.level < .warning })
        }
    }
}
