public import Logging
public import Metrics
import NIOCore
public import ServiceLifecycle
import Synchronization

/// The live feed: turns poll change notices into SSE streams for overlays and dashboards (DESIGN.md §3, §4).
///
/// Clients subscribe to a topic (a poll, or a channel's overlay) and read a ``FeedSubscription``. Change
/// notices are coalesced per poll: at most one ``FeedSource/update(pollID:)`` call, and one fan-out, per
/// ``Configuration/coalesceInterval``, however many notices and clients there are. Each client has a small
/// bounded buffer in which a newer `poll.tally` replaces a pending one; a client that falls further behind,
/// or stops reading for ``Configuration/stallTimeout``, is dropped and its browser reconnects to a fresh
/// snapshot. Versions never go backwards for a client.
///
/// ``notice(pollID:version:)``, ``publish(_:to:)``, ``subscribe(topic:lastEventID:onDrop:)`` and
/// ``close(topic:)`` never suspend and hold the hub's lock only briefly, so they are safe on an event loop.
/// ``run()`` drives the update calls, heartbeats and stall checks in one structured task group.
public final class FeedHub: Service, Sendable {
    // MARK: Member variables

    /// Where poll state is read.
    private let source: any FeedSource
    /// The hub's tuning.
    private let configuration: Configuration
    /// The hub's logger.
    private let logger: Logger
    /// The clock of coalescing, heartbeats and stall checks.
    private let clock: FeedClock
    /// Everything mutable, behind one lock.
    private let state: Mutex<FeedHubState>
    /// Wakes the loop when work arrives.
    private let wake = FeedWake()
    /// `retry: <ms>`, the first message of every stream.
    let retryMessage: ByteBuffer
    /// The heartbeat (``ServerSentEvent/heartbeat``).
    private let pingMessage = ServerSentEvent.heartbeat
    /// `tumulte_sse_clients`: connected clients.
    private let clientsGauge: Gauge
    /// `tumulte_sse_events_total`: events handed to clients' writers (heartbeats excluded).
    private let eventsCounter: Counter
    /// `tumulte_sse_dropped_total{reason="buffer_full"}`: clients dropped for a full buffer.
    private let bufferDropsCounter: Counter
    /// `tumulte_sse_dropped_total{reason="stalled"}`: clients dropped for not reading.
    private let stallDropsCounter: Counter

    // MARK: Initialization

    /// Creates a hub; call ``run()`` (usually through a `ServiceGroup`) to start coalescing and heartbeats.
    /// - Parameters:
    ///   - source: Where poll state is read.
    ///   - configuration: The hub's tuning.
    ///   - logger: The hub's logger.
    ///   - metricsFactory: Where the `tumulte_sse_*` metrics go; the bootstrapped factory by default.
    ///   - clock: The clock of coalescing, heartbeats and stall checks; tests pass a manual one.
    public init(
        source: any FeedSource,
        configuration: Configuration = .init(),
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        precondition(configuration.coalesceInterval >= .zero, "coalesceInterval must not be negative")
        precondition(configuration.heartbeatInterval > .zero, "heartbeatInterval must be positive")
        precondition(configuration.stallTimeout > .zero, "stallTimeout must be positive")
        precondition(configuration.clientBufferLimit > 0, "clientBufferLimit must be positive")
        precondition(configuration.retry >= 0, "retry must not be negative")
        self.source = source
        self.configuration = configuration
        self.logger = logger
        self.clock = FeedClock(clock)
        self.state = Mutex(FeedHubState(configuration: configuration))
        self.retryMessage = ByteBuffer(string: "retry: \(configuration.retry)\n\n")
        self.clientsGauge = Gauge(label: "tumulte_sse_clients", factory: metricsFactory)
        self.eventsCounter = Counter(label: "tumulte_sse_events_total", factory: metricsFactory)
        self.bufferDropsCounter = Counter(
            label: "tumulte_sse_dropped_total",
            dimensions: [("reason", FeedRemoval.bufferFull.rawValue)],
            factory: metricsFactory
        )
        self.stallDropsCounter = Counter(
            label: "tumulte_sse_dropped_total",
            dimensions: [("reason", FeedRemoval.stalled.rawValue)],
            factory: metricsFactory
        )
    }

    // MARK: Methods

    /// Runs update calls, heartbeats and stall checks until graceful shutdown or cancellation, then finishes
    /// every client stream. Call it once.
    public func run() async {
        let starting = self.state.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
        precondition(starting, "FeedHub.run() called more than once")
        self.logger.debug("feed hub started")
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                await self.loop(group: &group)
            } onGracefulShutdown: {
                self.state.withLock { $0.stopRequested = true }
                self.wake.signal()
            }
            // Update calls still running are abandoned: their clients' streams end now anyway.
            group.cancelAll()
        }
        let clients = self.clientCount
        self.mutate { state, effects in state.finish(effects: &effects) }
        self.logger.info("feed hub stopped; every SSE stream finished", metadata: [FeedLogKey.clients: "\(clients)"])
    }

    /// Records a change notice of `pollID` at `version` (from Redis pub/sub). Never blocks or suspends; the
    /// update call happens in ``run()``. A version not newer than the last one fanned out is ignored.
    public func notice(pollID: String, version: Int) {
        let wake = self.state.withLock { $0.notice(pollID: pollID, version: version) }
        if wake { self.wake.signal() }
    }

    /// Sends a lifecycle event (`poll.start`, `poll.end`) to every client of `topics` now, in call order
    /// relative to other publishes and fan-outs. Never suspends.
    public func publish(_ event: FeedEvent, to topics: [String]) {
        let bytes = event.serverSentEvent.encoded
        let now = self.clock.now
        self.mutate { state, effects in state.publish(event, bytes: bytes, topics: topics, now: now, effects: &effects) }
    }

    /// Connects a client to `topic` and returns its stream. `lastEventID` is the request's `Last-Event-ID`
    /// header (`<pollId>:<version>`): events of that poll it already has are not sent again; a malformed
    /// value is ignored. The topic appears in logs, so it must never be a secret such as an overlay token.
    ///
    /// - Parameters:
    ///   - topic: The topic to follow.
    ///   - lastEventID: The request's `Last-Event-ID`, if any.
    ///   - onDrop: Called once, outside the hub's lock, if the hub drops the client for being slow. The stream
    ///     ends as well, but a consumer stuck writing to a socket nobody reads never sees that end; the HTTP
    ///     layer closes the connection here, so the bytes held for it are released too.
    public func subscribe(topic: String, lastEventID: String?, onDrop: (@Sendable () -> Void)? = nil) -> FeedSubscription {
        let resumeFrom = lastEventID.flatMap(FeedEventID.init)
        let id = self.mutate { state, _ in state.addClient(topic: topic, resumeFrom: resumeFrom, onDrop: onDrop) }
        self.logger.debug("SSE client connected", metadata: [FeedLogKey.topic: "\(topic)", FeedLogKey.client: "\(id)"])
        return FeedSubscription(hub: self, id: id, topic: topic)
    }

    /// Finishes the stream of every client of `topic` (its overlay token was rotated or revoked).
    public func close(topic: String) {
        self.mutate { state, effects in state.close(topic: topic, effects: &effects) }
    }

    /// The number of connected clients.
    public var clientCount: Int {
        self.state.withLock { $0.clients.count }
    }

    // MARK: Client side (used by FeedSubscription)

    /// Whether client `id` is still connected.
    func isConnected(_ id: UInt64) -> Bool {
        self.state.withLock { $0.clients[id] != nil }
    }

    /// Removes client `id`, finishing its stream.
    func remove(_ id: UInt64, reason: FeedRemoval) {
        self.mutate { state, effects in state.remove(id, reason: reason, effects: &effects) }
    }

    /// Reads the snapshot of client `id`'s topic and puts it first in its buffer; false when the client is
    /// gone or the snapshot failed (the client is then removed, so its browser reconnects after `retry`).
    func readSnapshot(for id: UInt64, topic: String) async -> Bool {
        let snapshot: FeedEvent?
        do {
            snapshot = try await self.source.snapshot(topic: topic)
        } catch {
            if !Task.isCancelled {
                self.logger.warning(
                    "SSE snapshot failed; the client will reconnect",
                    metadata: [FeedLogKey.topic: "\(topic)", FeedLogKey.error: "\(error)"]
                )
            }
            self.remove(id, reason: Task.isCancelled ? .consumerEnded : .snapshotFailed)
            return false
        }
        guard let snapshot else { return self.isConnected(id) }
        let bytes = snapshot.serverSentEvent.encoded
        let now = self.clock.now
        self.mutate { state, effects in state.installSnapshot(snapshot, bytes: bytes, for: id, now: now, effects: &effects) }
        return self.isConnected(id)
    }

    /// The next thing for client `id`, waiting until there is one; nil when the stream has ended. Cancelling
    /// the waiting task removes the client.
    func take(_ id: UInt64) async -> FeedDelivery? {
        if Task.isCancelled {
            self.remove(id, reason: .consumerEnded)
            return nil
        }
        switch self.state.withLock({ $0.take(id) }) {
        case .finished: return nil
        case .item(let delivery): return delivery
        case .nothing: break
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<FeedDelivery?, Never>) in
                switch self.state.withLock({ $0.park(id, waiter: continuation) }) {
                case .finished: continuation.resume(returning: nil)
                case .item(let delivery): continuation.resume(returning: delivery)
                case .nothing: break
                }
            }
        } onCancel: {
            self.remove(id, reason: .consumerEnded)
        }
    }

    /// The bytes of a delivery; counts events sent.
    func encode(_ delivery: FeedDelivery) -> ByteBuffer {
        switch delivery {
        case .event(let bytes):
            self.eventsCounter.increment()
            return bytes
        case .ping:
            return self.pingMessage
        }
    }

    // MARK: Loop

    /// Plans and starts update calls until stopped: each pass handles what is due, then sleeps until the next
    /// deadline or a wake-up.
    private func loop(group: inout DiscardingTaskGroup) async {
        while !Task.isCancelled {
            let now = self.clock.now
            let step = self.mutate { state, effects in state.step(now: now, effects: &effects) }
            if step.stop { return }
            for pollID in step.updates {
                group.addTask { await self.update(pollID: pollID) }
            }
            await self.wake.wait(until: step.deadline, clock: self.clock)
        }
    }

    /// One update call of `pollID` and its fan-out. A failure is logged and changes nothing: the next notice
    /// of the poll calls again.
    private func update(pollID: String) async {
        var update: FeedUpdate?
        do {
            update = try await self.source.update(pollID: pollID)
        } catch {
            if !Task.isCancelled {
                self.logger.warning(
                    "SSE feed update failed; the next change notice retries",
                    metadata: [FeedLogKey.pollID: "\(pollID)", FeedLogKey.error: "\(error)"]
                )
            }
        }
        let bytes = update?.event.serverSentEvent.encoded
        let now = self.clock.now
        self.mutate { state, effects in
            state.completeUpdate(pollID: pollID, update: update, bytes: bytes, now: now, effects: &effects)
        }
    }

    // MARK: State

    /// Runs `body` under the lock, then resumes consumers, logs and counts removals, and wakes the loop as
    /// `body` asked. The clients gauge is recorded under the lock so updates land in order.
    @discardableResult
    private func mutate<Result: Sendable>(_ body: (inout FeedHubState, inout FeedEffects) -> Result) -> Result {
        let (result, effects) = self.state.withLock { state -> (Result, FeedEffects) in
            var effects = FeedEffects()
            let before = state.clients.count
            let result = body(&state, &effects)
            if state.clients.count != before { self.clientsGauge.record(state.clients.count) }
            return (result, effects)
        }
        for (waiter, delivery) in effects.resumes { waiter.resume(returning: delivery) }
        for removal in effects.removals { self.note(removal) }
        if effects.wake { self.wake.signal() }
        return result
    }

    /// Logs a removed client and counts a dropped one.
    private func note(_ removal: FeedEffects.Removal) {
        let metadata: Logger.Metadata = [
            FeedLogKey.topic: "\(removal.topic)",
            FeedLogKey.client: "\(removal.id)",
            FeedLogKey.reason: "\(removal.reason.rawValue)",
            FeedLogKey.pending: "\(removal.pending)",
        ]
        switch removal.reason {
        case .bufferFull:
            self.bufferDropsCounter.increment()
            self.logger.info("slow SSE client dropped", metadata: metadata)
        case .stalled:
            self.stallDropsCounter.increment()
            self.logger.info("slow SSE client dropped", metadata: metadata)
        case .shutdown:
            break
        case .consumerEnded, .closed, .snapshotFailed:
            self.logger.debug("SSE client disconnected", metadata: metadata)
        }
        removal.onDrop?()
    }
}
