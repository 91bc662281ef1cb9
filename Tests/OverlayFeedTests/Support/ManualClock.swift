import Synchronization

/// A clock that moves only when a test advances it, so timing behaviour is tested without sleeping.
final class ManualClock: Clock, Sendable {
    /// An instant: the time advanced since the clock was created.
    struct Instant: InstantProtocol {
        /// Time since the clock was created.
        var offset: Duration

        /// The instant `duration` later.
        func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }

        /// The time from this instant to `other`.
        func duration(to other: Instant) -> Duration { other.offset - self.offset }

        /// Orders instants by offset.
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// A suspended sleeper.
    private struct Sleeper {
        /// When it wakes.
        var deadline: Instant
        /// Its continuation.
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The current instant and the sleepers.
    private struct State {
        /// The current instant.
        var now = Instant(offset: .zero)
        /// Sleepers by number.
        var sleepers: [Int: Sleeper] = [:]
        /// The next sleeper's number.
        var nextID = 0
        /// Tests waiting for a sleeper with a given deadline.
        var deadlineWaiters: [(deadline: Instant, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// The shared state.
    private let state = Mutex(State())

    /// Creates a clock at offset zero.
    init() {}

    /// The current instant.
    var now: Instant { self.state.withLock { $0.now } }

    /// The clock has no resolution limit.
    var minimumResolution: Duration { .zero }

    /// Suspends until the clock is advanced to `deadline`; throws `CancellationError` when cancelled.
    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = self.state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = self.state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    let woken = state.deadlineWaiters.filter { $0.deadline == deadline }
                    state.deadlineWaiters.removeAll { $0.deadline == deadline }
                    for waiter in woken { waiter.continuation.resume() }
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = self.state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Waits until something sleeps until exactly `offset` (time since the clock was created): the way a test
    /// learns that the code under test has planned work for that time and is idle until then.
    func waitForSleeper(until offset: Duration) async {
        let deadline = Instant(offset: offset)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let present = self.state.withLock { state -> Bool in
                if state.sleepers.values.contains(where: { $0.deadline == deadline }) { return true }
                state.deadlineWaiters.append((deadline, continuation))
                return false
            }
            if present { continuation.resume() }
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = self.state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
