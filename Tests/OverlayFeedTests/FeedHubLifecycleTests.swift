import Logging
import NIOCore
import OverlayFeed
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// When SSE streams end: the consumer leaves, a topic is closed, the snapshot fails, the hub shuts down.
/// Every way out releases the client at once (no leak).
@Suite(.timeLimit(.minutes(1)))
struct FeedHubLifecycleTests {
    @Test func sseBreakingOutOfTheLoopRemovesTheClientAtOnce() async throws {
        let harness = HubHarness()
        try await harness.running {
            let subscription = harness.hub.subscribe(topic: "overlay:a", lastEventID: nil)
            #expect(harness.hub.clientCount == 1)
            for await message in subscription {
                #expect(String(buffer: message) == retryFrame)
                break
            }
            // `subscription` is still alive here: leaving the loop is what counts.
            #expect(harness.hub.clientCount == 0)
            #expect(harness.gauge("tumulte_sse_clients") == 0)
            withExtendedLifetime(subscription) {}
        }
    }

    @Test func sseCancellingTheConsumerTaskRemovesTheClient() async throws {
        let harness = HubHarness()
        try await harness.running {
            let subscription = harness.hub.subscribe(topic: "overlay:a", lastEventID: nil)
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                var received = 0
                for await _ in subscription {
                    received += 1
                    startedContinuation.yield()
                }
                return received
            }
            var iterator = started.makeAsyncIterator()
            await iterator.next()
            consumer.cancel()
            #expect(await consumer.value == 1)
            #expect(harness.hub.clientCount == 0)
            withExtendedLifetime(subscription) {}
        }
    }

    @Test func sseSubscriptionReleasedWithoutBeingReadRemovesTheClient() async throws {
        let harness = HubHarness()
        try await harness.running {
            do {
                let subscription = harness.hub.subscribe(topic: "overlay:a", lastEventID: nil)
                #expect(harness.hub.clientCount == 1)
                withExtendedLifetime(subscription) {}
            }
            #expect(harness.hub.clientCount == 0)
        }
    }

    @Test func sseCloseTopicFinishesOnlyThatTopicsStreams() async throws {
        let harness = HubHarness()
        try await harness.running {
            var revoked = [harness.connect("overlay:a"), harness.connect("overlay:a")]
            var other = harness.connect("overlay:b")
            for index in revoked.indices { #expect(await revoked[index].skipRetry()) }
            #expect(await other.skipRetry())
            harness.hub.close(topic: "overlay:a")
            #expect(harness.hub.clientCount == 1)
            for index in revoked.indices { #expect(await revoked[index].next() == nil) }
            harness.hub.publish(FakeFeedSource.tally("p1", 1), to: ["overlay:a", "overlay:b"])
            #expect(await other.nextText() == frame(FakeFeedSource.tally("p1", 1)))
            // A new client of the closed topic (a new token) works as usual.
            var renewed = harness.connect("overlay:a")
            #expect(await renewed.skipRetry())
            harness.hub.publish(FakeFeedSource.tally("p1", 2), to: ["overlay:a"])
            #expect(await renewed.nextText() == frame(FakeFeedSource.tally("p1", 2)))
        }
    }

    @Test(
        "SSE: close(topic:) and a subscription's finish() (twice: harmless) both wake a consumer waiting for events",
        arguments: ["close", "finish"]
    )
    func sseEndingWakesAConsumerWaitingForEvents(how: String) async throws {
        let harness = HubHarness()
        try await harness.running {
            let subscription = harness.hub.subscribe(topic: "overlay:a", lastEventID: nil)
            let (waiting, waitingContinuation) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                var messages: [String] = []
                for await message in subscription {
                    messages.append(String(buffer: message))
                    waitingContinuation.yield()
                }
                return messages
            }
            var iterator = waiting.makeAsyncIterator()
            await iterator.next()
            if how == "close" {
                harness.hub.close(topic: "overlay:a")
            } else {
                subscription.finish()
                subscription.finish()
            }
            #expect(await consumer.value == [retryFrame])
            #expect(harness.hub.clientCount == 0)
        }
    }

    @Test func sseFailedSnapshotIsLoggedAndEndsTheStreamSoTheBrowserReconnects() async throws {
        let harness = HubHarness()
        harness.source.setFailSnapshots(true)
        try await harness.running {
            var client = harness.connect("overlay:a")
            #expect(await client.skipRetry())
            let clientEnd = await client.next()
            #expect(clientEnd == nil)
            #expect(harness.hub.clientCount == 0)
            let line = try #require(harness.logs.entries.first { $0.message.hasPrefix("SSE snapshot failed") })
            #expect(line.level == .warning)
            #expect(line.metadata["feed.topic"] == "overlay:a")
            // The hub keeps serving.
            harness.source.setFailSnapshots(false)
            var again = harness.connect("overlay:a")
            #expect(await again.skipRetry())
            harness.hub.publish(FakeFeedSource.tally("p1", 1), to: ["overlay:a"])
            #expect(await again.nextText() == frame(FakeFeedSource.tally("p1", 1)))
        }
    }

    @Test func sseGracefulShutdownFinishesEveryStreamAndRunReturns() async throws {
        let harness = HubHarness()
        let subscriptions = (0..<10).map { harness.hub.subscribe(topic: "overlay:\($0 % 3)", lastEventID: nil) }
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        await testGracefulShutdown { trigger in
            await withDiscardingTaskGroup { group in
                group.addTask { await harness.hub.run() }
                for subscription in subscriptions {
                    group.addTask {
                        var iterator = subscription.makeAsyncIterator()
                        _ = await iterator.next()
                        readyContinuation.yield()
                        while await iterator.next() != nil {}
                    }
                }
                var readiness = ready.makeAsyncIterator()
                for _ in subscriptions { await readiness.next() }
                trigger.triggerGracefulShutdown()
            }
        }
        // The group returned: run() and every consumer loop ended.
        #expect(harness.hub.clientCount == 0)
        var late = harness.connect("overlay:0")
        let lateEnd = await late.next()
        #expect(lateEnd == nil)
        #expect(harness.hub.clientCount == 0)
    }

    @Test func sseCancellingRunFinishesEveryStream() async throws {
        let harness = HubHarness()
        let subscription = harness.hub.subscribe(topic: "overlay:a", lastEventID: nil)
        let (waiting, waitingContinuation) = AsyncStream.makeStream(of: Void.self)
        // A consumer outside the hub's task tree, like an HTTP handler.
        let consumer = Task {
            var received = 0
            for await _ in subscription {
                received += 1
                waitingContinuation.yield()
            }
            return received
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await harness.hub.run() }
            var iterator = waiting.makeAsyncIterator()
            await iterator.next()
            group.cancelAll()
        }
        #expect(await consumer.value == 1)
        #expect(harness.hub.clientCount == 0)
    }
}
