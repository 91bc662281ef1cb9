import OverlayFeed
import Synchronization

/// An error the fake source throws on request.
struct FakeSourceError: Error, CustomStringConvertible {
    /// What failed.
    var description: String
}

/// A scripted ``FeedSource``: tallies at a version the test sets, snapshots per topic, failures on request,
/// and a count of every call.
final class FakeFeedSource: FeedSource {
    /// The scripted state and the counters.
    private struct State {
        /// The newest tally version per poll.
        var versions: [String: Int] = [:]
        /// The topics of each poll.
        var topics: [String: [String]] = [:]
        /// The snapshot per topic.
        var snapshots: [String: FeedEvent] = [:]
        /// The number of update calls per poll.
        var updateCalls: [String: Int] = [:]
        /// Update calls running now, per poll, and the most seen at once.
        var running: [String: Int] = [:]
        /// The most update calls of one poll seen running at once.
        var maxRunning = 0
        /// Update calls throw while set.
        var failUpdates = false
        /// Snapshot calls throw while set.
        var failSnapshots = false
        /// Update calls wait for ``release()`` while set.
        var holdUpdates = false
        /// Update calls waiting for ``release()``.
        var held: [CheckedContinuation<Void, Never>] = []
        /// Waiters for the next update call to start.
        var startWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The shared state.
    private let state = Mutex(State())

    /// Creates a source that knows no poll.
    init() {}

    /// Sets the newest tally version of `pollID` and where its tallies go.
    func setVersion(_ version: Int, of pollID: String, topics: [String]) {
        self.state.withLock {
            $0.versions[pollID] = version
            $0.topics[pollID] = topics
        }
    }

    /// Sets the snapshot clients of `topic` receive first.
    func setSnapshot(_ event: FeedEvent?, for topic: String) {
        self.state.withLock { $0.snapshots[topic] = event }
    }

    /// Makes update calls throw (or succeed again).
    func setFailUpdates(_ fail: Bool) {
        self.state.withLock { $0.failUpdates = fail }
    }

    /// Makes snapshot calls throw (or succeed again).
    func setFailSnapshots(_ fail: Bool) {
        self.state.withLock { $0.failSnapshots = fail }
    }

    /// Makes update calls wait until ``release()``.
    func hold() {
        self.state.withLock { $0.holdUpdates = true }
    }

    /// Lets waiting and future update calls proceed.
    func release() {
        let held = self.state.withLock { state in
            state.holdUpdates = false
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }

    /// Waits until an update call has started since the test last checked; returns at once if one is held.
    func waitForHeldUpdate() async {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLock { state -> Bool in
                if !state.held.isEmpty { return true }
                state.startWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// The number of update calls of `pollID` so far.
    func updateCalls(of pollID: String) -> Int {
        self.state.withLock { $0.updateCalls[pollID, default: 0] }
    }

    /// The most update calls of one poll that ran at the same time.
    var maxConcurrentUpdates: Int { self.state.withLock { $0.maxRunning } }

    /// A tally event of `pollID` at `version`.
    static func tally(_ pollID: String, _ version: Int) -> FeedEvent {
        FeedEvent(kind: .tally, pollID: pollID, version: version, data: #"{"pollId":"\#(pollID)","version":\#(version)}"#)
    }

    /// Counts the call, fails or waits when told to, then returns the poll's newest tally.
    func update(pollID: String) async throws -> FeedUpdate? {
        let (fail, hold) = self.state.withLock { state -> (Bool, Bool) in
            state.updateCalls[pollID, default: 0] += 1
            state.running[pollID, default: 0] += 1
            state.maxRunning = max(state.maxRunning, state.running[pollID]!)
            return (state.failUpdates, state.holdUpdates)
        }
        defer { self.state.withLock { $0.running[pollID, default: 1] -= 1 } }
        if hold {
            await withCheckedContinuation { continuation in
                let (stillHeld, starts) = self.state.withLock { state in
                    guard state.holdUpdates else { return (false, [CheckedContinuation<Void, Never>]()) }
                    state.held.append(continuation)
                    defer { state.startWaiters = [] }
                    return (true, state.startWaiters)
                }
                for waiter in starts { waiter.resume() }
                if !stillHeld { continuation.resume() }
            }
        }
        if fail { throw FakeSourceError(description: "redis unreachable") }
        return self.state.withLock { state in
            guard let version = state.versions[pollID] else { return nil }
            return FeedUpdate(event: Self.tally(pollID, version), topics: state.topics[pollID] ?? [])
        }
    }

    /// The topic's scripted snapshot, or a failure when told to.
    func snapshot(topic: String) async throws -> FeedEvent? {
        let (fail, snapshot) = self.state.withLock { ($0.failSnapshots, $0.snapshots[topic]) }
        if fail { throw FakeSourceError(description: "postgres unreachable") }
        return snapshot
    }
}
