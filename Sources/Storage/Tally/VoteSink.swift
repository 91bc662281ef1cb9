public import Core
public import Logging
import Metrics
import Redis
public import ServiceLifecycle
import Synchronization

/// Collects votes (and moderation removals) from every chat connection, applies them in batches, and never loses
/// one while Redis is away.
///
/// Changes wait in a bounded in-memory queue in arrival order, so a deleted message is removed after its vote. The sink flushes as soon as a batch is full, or a
/// few milliseconds after the first vote of a batch arrived; while Redis is unreachable it retries with capped
/// backoff and keeps queueing, then replays everything in order. Replays are safe because counting is
/// idempotent (each message is counted once by its de-duplication key). Only beyond the queue bound are votes
/// dropped, with a counter and an error log.
public final class VoteSink: Service, Sendable {
    /// Tuning of the sink.
    public struct Configuration: Sendable {
        /// Votes per script call; a flush sends up to eight such calls in one round trip.
        public var batchSize = 500
        /// How long the first vote of a batch may wait for more.
        public var maxDelay: Duration = .milliseconds(5)
        /// The most votes kept while Redis is unreachable.
        public var queueLimit = 1_000_000
        /// The longest wait between two attempts while Redis is unreachable.
        public var maxRetryDelay: Duration = .seconds(1)

        /// Creates the default configuration.
        public init() {}
    }

    private struct State {
        var queue: [TallyChange] = []
        var head = 0
        var wake: CheckedContinuation<Void, Never>?
        /// Callers waiting until the total of counted changes reaches their target.
        var idleWaiters: [Int: (target: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter = 0
        /// Changes counted since the sink started (the queue's consumed prefix, including compacted parts).
        var counted = 0
        var dropped = 0

        var pending: Int { self.queue.count - self.head }
    }

    private let store: TallyStore
    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    private let queueDepth = Gauge(label: "tumulte_vote_queue_depth")
    private let batchSizes = Recorder(label: "tumulte_vote_batch_size")
    private let droppedVotes = Counter(label: "tumulte_votes_dropped_total")

    /// Creates a sink writing to `store`.
    public init(store: TallyStore, configuration: Configuration = .init(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Queues a vote; never blocks. Returns false when the queue is full and the vote was dropped.
    @discardableResult
    public func submit(_ vote: Vote) -> Bool {
        self.submit(CollectionOfOne(.vote(vote))) == 1
    }

    /// Queues changes in order; never blocks. Returns how many were queued (the rest were dropped: queue full).
    @discardableResult
    public func submit(_ votes: some Collection<TallyChange>) -> Int {
        let (accepted, wake, depth) = self.state.withLock { state -> (Int, CheckedContinuation<Void, Never>?, Int) in
            let room = max(0, self.configuration.queueLimit - state.pending)
            let accepted = min(room, votes.count)
            state.queue.append(contentsOf: votes.prefix(accepted))
            state.dropped += votes.count - accepted
            let wake = state.wake
            state.wake = nil
            return (accepted, wake, state.pending)
        }
        self.queueDepth.record(depth)
        if accepted < votes.count {
            self.droppedVotes.increment(by: votes.count - accepted)
            self.logger.error(
                "vote queue full; votes dropped",
                metadata: ["vote.dropped": "\(votes.count - accepted)", "vote.queue_limit": "\(self.configuration.queueLimit)"]
            )
        }
        wake?.resume()
        return accepted
    }

    /// How many votes wait to be counted.
    public var pendingCount: Int { self.state.withLock { $0.pending } }

    /// How many votes were dropped because the queue was full.
    public var droppedCount: Int { self.state.withLock { $0.dropped } }

    /// Waits until every vote queued so far has been counted (later votes do not delay it, so it returns under
    /// constant load too). Returns early when the task is cancelled.
    public func waitUntilIdle() async {
        let key = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let idle = self.state.withLock { state -> Bool in
                    if state.pending == 0 || Task.isCancelled { return true }
                    state.idleWaiters[key] = (state.counted + state.pending, continuation)
                    return false
                }
                if idle { continuation.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.idleWaiters.removeValue(forKey: key) }?.continuation.resume()
        }
    }

    /// Flushes until shutdown; on graceful shutdown it keeps flushing what is queued (while Redis answers), then returns.
    public func run() async {
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            var attempt = 0
            while true {
                let hasWork = await self.waitForWork(stopping: stopping)
                if !hasWork { break }
                if self.state.withLock({ $0.pending }) < self.configuration.batchSize && !stopping.load(ordering: .relaxed) {
                    try? await Task.sleep(for: self.configuration.maxDelay)
                }
                let failure = await self.flushOnce()
                if failure == nil {
                    if attempt > 0 {
                        self.logger.info("votes counted again after a Redis outage", metadata: ["vote.failed_attempts": "\(attempt)"])
                    }
                    attempt = 0
                } else {
                    // One warning per outage, not one per retry; the retries are at debug level.
                    self.logger.log(
                        level: attempt == 0 ? .warning : .debug,
                        "votes not counted yet; Redis unreachable, will retry",
                        metadata: ["vote.pending": "\(self.pendingCount)", "redis.error": "\(failure!)"]
                    )
                    if stopping.load(ordering: .relaxed) || Task.isCancelled {
                        self.logger.error("shutting down with votes not yet counted", metadata: ["vote.pending": "\(self.pendingCount)"])
                        break
                    }
                    attempt += 1
                    let exponent = min(attempt, 10)
                    let delay = min(self.configuration.maxRetryDelay, .milliseconds(10) * (1 << exponent))
                    try? await Task.sleep(for: delay)
                }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            let wake = self.state.withLock { state in
                defer { state.wake = nil }
                return state.wake
            }
            wake?.resume()
        }
    }

    /// Waits until votes are queued; false when the sink should stop (shutdown with nothing left, or cancellation).
    private func waitForWork(stopping: borrowing Atomic<Bool>) async -> Bool {
        while true {
            if Task.isCancelled { return false }
            if self.state.withLock({ $0.pending }) > 0 { return true }
            if stopping.load(ordering: .relaxed) { return false }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = self.state.withLock { state -> Bool in
                        if state.pending > 0 { return true }
                        state.wake = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let wake = self.state.withLock { state in
                    defer { state.wake = nil }
                    return state.wake
                }
                wake?.resume()
            }
        }
    }

    /// Sends one round trip's worth of queued votes; removes them from the queue only once counted; returns the failure.
    private func flushOnce() async -> RedisError? {
        let batch = self.state.withLock { state -> [TallyChange] in
            let end = min(state.queue.count, state.head + self.configuration.batchSize * 8)
            return Array(state.queue[state.head..<end])
        }
        do {
            let result = try await self.store.apply(batch, chunkSize: self.configuration.batchSize)
            self.batchSizes.record(batch.count)
            VoteMetrics.record(result.votes)
            let (waiters, depth) = self.state.withLock { state -> ([CheckedContinuation<Void, Never>], Int) in
                state.head += batch.count
                state.counted += batch.count
                // Compact once the consumed prefix dominates, so memory follows the backlog.
                if state.head > 4096 && state.head * 2 > state.queue.count {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                let counted = state.counted
                let ready = state.idleWaiters.filter { $0.value.target <= counted }
                for key in ready.keys { state.idleWaiters[key] = nil }
                return (ready.values.map(\.continuation), state.pending)
            }
            self.queueDepth.record(depth)
            for waiter in waiters { waiter.resume() }
            return nil
        } catch {
            return error
        }
    }
}

/// Counters of vote outcomes, exported as `tumulte_votes_total{outcome=…}`.
enum VoteMetrics {
    private static let accepted = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "accepted")])
    private static let duplicate = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "duplicate")])
    private static let outsideWindow = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "outside_window")])
    private static let invalid = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "invalid")])
    private static let closed = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "closed")])
    private static let superseded = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "superseded")])

    static func record(_ result: VoteBatchResult) {
        if result.accepted > 0 { self.accepted.increment(by: result.accepted) }
        if result.duplicate > 0 { self.duplicate.increment(by: result.duplicate) }
        if result.outsideWindow > 0 { self.outsideWindow.increment(by: result.outsideWindow) }
        if result.invalid > 0 { self.invalid.increment(by: result.invalid) }
        if result.closed > 0 { self.closed.increment(by: result.closed) }
        if result.superseded > 0 { self.superseded.increment(by: result.superseded) }
    }
}
