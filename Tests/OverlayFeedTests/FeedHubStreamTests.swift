import NIOCore
import OverlayFeed
import Testing

/// The shape of every stream (DESIGN.md §4 "SSE"): `retry:` first, the snapshot, live events, heartbeats,
/// and versions that never go backwards, with or without `Last-Event-ID`.
@Suite(.timeLimit(.minutes(1)))
struct FeedHubStreamTests {
    /// A `poll.start` of `pollID` at `version`.
    static func start(_ pollID: String, _ version: Int) -> FeedEvent {
        FeedEvent(kind: .start, pollID: pollID, version: version, data: #"{"poll":{"id":"\#(pollID)"}}"#)
    }

    /// A `poll.end` of `pollID` at `version`.
    static func end(_ pollID: String, _ version: Int) -> FeedEvent {
        FeedEvent(kind: .end, pollID: pollID, version: version, data: #"{"pollId":"\#(pollID)","status":"ended"}"#)
    }

    /// A `poll.tally` of `pollID` at `version`.
    static func tally(_ pollID: String, _ version: Int) -> FeedEvent { FakeFeedSource.tally(pollID, version) }

    @Test func sseEventCarriesKindPollVersionIDAndData() {
        let event = Self.tally("p1", 7)
        #expect(event.id == "p1:7")
        #expect(String(buffer: event.serverSentEvent.encoded) == "id: p1:7\nevent: poll.tally\ndata: \(event.data)\n\n")
    }

    @Test func sseStreamStartsWithRetryThenSnapshotThenLiveEvents() async throws {
        let harness = HubHarness()
        harness.source.setSnapshot(Self.start("p1", 3), for: "overlay:a")
        try await harness.running {
            var client = harness.connect("overlay:a")
            #expect(await client.nextText() == "retry: 2000\n\n")
            #expect(await client.nextText() == frame(Self.start("p1", 3)))
            harness.hub.publish(Self.tally("p1", 4), to: ["overlay:a"])
            #expect(await client.nextText() == frame(Self.tally("p1", 4)))
        }
    }

    @Test func sseRetryFollowsConfiguration() async throws {
        let harness = HubHarness { $0.retry = 500 }
        try await harness.running {
            var client = harness.connect("overlay:a")
            #expect(await client.nextText() == "retry: 500\n\n")
        }
    }

    @Test func sseTopicWithoutSnapshotGoesStraightToLiveEvents() async throws {
        let harness = HubHarness()
        try await harness.running {
            var client = harness.connect("overlay:idle")
            #expect(await client.skipRetry())
            harness.hub.publish(Self.start("p1", 0), to: ["overlay:idle"])
            #expect(await client.nextText() == frame(Self.start("p1", 0)))
        }
    }

    @Test func ssePublishReachesOnlyTheNamedTopicsInOrder() async throws {
        let harness = HubHarness()
        try await harness.running {
            var a = harness.connect("overlay:a")
            var b = harness.connect("overlay:b")
            #expect(await a.skipRetry())
            #expect(await b.skipRetry())
            harness.hub.publish(Self.start("p1", 0), to: ["overlay:a", "overlay:a"])
            harness.hub.publish(Self.start("p2", 0), to: ["overlay:b"])
            harness.hub.publish(Self.end("p1", 0), to: ["overlay:a"])
            #expect(await a.nextText() == frame(Self.start("p1", 0)))
            #expect(await a.nextText() == frame(Self.end("p1", 0)))
            #expect(await b.nextText() == frame(Self.start("p2", 0)))
        }
    }

    @Test func ssePingEveryHeartbeatIntervalWhetherIdleOrNot() async throws {
        let harness = HubHarness()
        try await harness.running {
            var client = harness.connect("overlay:a")
            #expect(await client.skipRetry())
            harness.clock.advance(by: .seconds(15))
            #expect(await client.nextText() == pingFrame)
            // Events flowed during the next interval: the heartbeat still comes.
            harness.hub.publish(Self.start("p1", 1), to: ["overlay:a"])
            #expect(await client.nextText() == frame(Self.start("p1", 1)))
            harness.clock.advance(by: .seconds(15))
            #expect(await client.nextText() == pingFrame)
            // A client that is not reading gets one heartbeat, not one per interval.
            harness.clock.advance(by: .seconds(15))
            harness.hub.publish(Self.tally("p1", 2), to: ["overlay:a"])
            #expect(await client.nextText() == frame(Self.tally("p1", 2)))
            #expect(await client.nextText() == pingFrame)
            harness.hub.publish(Self.tally("p1", 3), to: ["overlay:a"])
            #expect(await client.nextText() == frame(Self.tally("p1", 3)))
        }
    }

    @Test func sseLastEventIDSuppressesSnapshotAndEventsItAlreadyHas() async throws {
        let harness = HubHarness()
        harness.source.setSnapshot(Self.start("p1", 5), for: "overlay:a")
        try await harness.running {
            var client = harness.connect("overlay:a", lastEventID: "p1:5")
            #expect(await client.skipRetry())
            harness.hub.publish(Self.tally("p1", 4), to: ["overlay:a"])
            harness.hub.publish(Self.tally("p1", 5), to: ["overlay:a"])
            harness.hub.publish(Self.tally("p1", 6), to: ["overlay:a"])
            // Neither the snapshot (version 5) nor the tallies 4 and 5 come before 6.
            #expect(await client.nextText() == frame(Self.tally("p1", 6)))
        }
    }

    @Test func sseLastEventIDOlderThanSnapshotStillGetsTheSnapshot() async throws {
        let harness = HubHarness()
        harness.source.setSnapshot(Self.start("p1", 5), for: "overlay:a")
        try await harness.running {
            var older = harness.connect("overlay:a", lastEventID: "p1:4")
            #expect(await older.skipRetry())
            #expect(await older.nextText() == frame(Self.start("p1", 5)))
            var otherPoll = harness.connect("overlay:a", lastEventID: "p0:99")
            #expect(await otherPoll.skipRetry())
            #expect(await otherPoll.nextText() == frame(Self.start("p1", 5)))
        }
    }

    @Test(arguments: ["", "p1", "p1:", ":5", "p1:-1", "p1:+9", "p1:9x", "p1: 9", "p1:99999999999999999999"])
    func sseMalformedLastEventIDIsIgnored(header: String) async throws {
        let harness = HubHarness()
        harness.source.setSnapshot(Self.start("p1", 5), for: "overlay:a")
        try await harness.running {
            var client = harness.connect("overlay:a", lastEventID: header)
            #expect(await client.skipRetry())
            #expect(await client.nextText() == frame(Self.start("p1", 5)))
        }
    }

    @Test func sseEndAtTheLastEventIDVersionIsStillDelivered() async throws {
        // The overlay saw tally 5, then the poll ended at version 5 while it was reconnecting.
        let harness = HubHarness()
        harness.source.setSnapshot(Self.end("p1", 5), for: "overlay:a")
        try await harness.running {
            var client = harness.connect("overlay:a", lastEventID: "p1:5")
            #expect(await client.skipRetry())
            #expect(await client.nextText() == frame(Self.end("p1", 5)))
        }
    }

    @Test func sseVersionsNeverGoBackwardsAndEndBeatsTallyAtEqualVersion() async throws {
        let harness = HubHarness()
        try await harness.running {
            var client = harness.connect("overlay:a")
            #expect(await client.skipRetry())
            for event in [
                Self.tally("p1", 7), Self.tally("p1", 6), Self.tally("p1", 7), Self.start("p1", 7),
                Self.end("p1", 7), Self.tally("p1", 7), Self.tally("p1", 8), Self.end("p1", 7),
                Self.tally("p2", 1),
            ] {
                harness.hub.publish(event, to: ["overlay:a"])
            }
            #expect(await client.nextText() == frame(Self.tally("p1", 7)))
            #expect(await client.nextText() == frame(Self.end("p1", 7)))
            // After the end, nothing of p1 but a later end; other polls are independent.
            #expect(await client.nextText() == frame(Self.tally("p2", 1)))
        }
    }

    @Test func sseLiveEventsQueuedDuringTheSnapshotReadFollowItWithoutGoingBack() async throws {
        let harness = HubHarness()
        harness.source.setSnapshot(Self.start("p1", 7), for: "overlay:a")
        try await harness.running {
            var client = harness.connect("overlay:a")
            // Registered at subscribe: these queue before the consumer reads the snapshot.
            harness.hub.publish(Self.tally("p1", 6), to: ["overlay:a"])
            harness.hub.publish(Self.tally("p1", 8), to: ["overlay:a"])
            #expect(await client.skipRetry())
            #expect(await client.nextText() == frame(Self.start("p1", 7)))
            #expect(await client.nextText() == frame(Self.tally("p1", 8)))
        }
    }
}
