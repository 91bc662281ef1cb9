import Logging
import MetricsTestKit
import NIOCore
import OverlayFeed

/// A hub under test and its fakes: scripted source, manual clock, recorded logs and metrics.
struct HubHarness {
    /// The hub.
    let hub: FeedHub
    /// Its source.
    let source: FakeFeedSource
    /// Its clock, which moves only when the test advances it.
    let clock: ManualClock
    /// Its logs.
    let logs: LogRecorder
    /// Its metrics.
    let metrics: TestMetrics

    /// Creates a hub with default tuning except what `configure` changes; it is not running yet.
    init(configure: (inout FeedHub.Configuration) -> Void = { _ in }) {
        var configuration = FeedHub.Configuration()
        configure(&configuration)
        self.source = FakeFeedSource()
        self.clock = ManualClock()
        self.logs = LogRecorder()
        self.metrics = TestMetrics()
        self.hub = FeedHub(
            source: self.source,
            configuration: configuration,
            logger: self.logs.logger,
            metricsFactory: self.metrics,
            clock: self.clock
        )
    }

    /// Runs the hub while `body` runs, then cancels it.
    func running<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.hub.run() }
            let result = try await body()
            group.cancelAll()
            return result
        }
    }

    /// A new client of `topic`, ready to read.
    func connect(_ topic: String, lastEventID: String? = nil, onDrop: (@Sendable () -> Void)? = nil) -> FeedSubscription.Iterator {
        self.hub.subscribe(topic: topic, lastEventID: lastEventID, onDrop: onDrop).makeAsyncIterator()
    }

    /// The total of the counters of `label` having `dimensions`, 0 when none was created.
    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        self.metrics.counterTotal(label: label, dimensions: dimensions)
    }

    /// The last value of a gauge.
    func gauge(_ label: String) -> Double? {
        try? self.metrics.expectGauge(label).lastValue
    }
}

/// The wire text of `event`.
func frame(_ event: FeedEvent) -> String {
    String(buffer: event.serverSentEvent.encoded)
}

/// The first line of every stream with the default configuration.
let retryFrame = "retry: 2000\n\n"

/// The heartbeat comment.
let pingFrame = ": ping\nevent: ping\ndata: {}\n\n"

extension FeedSubscription.Iterator {
    /// The next message as text; nil once the stream has ended.
    mutating func nextText() async -> String? {
        await self.next().map { String(buffer: $0) }
    }

    /// Skips the `retry:` line (checking it) so the next read is the snapshot or the first live event.
    mutating func skipRetry() async -> Bool {
        await self.nextText() == retryFrame
    }
}
