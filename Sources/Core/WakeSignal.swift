import Synchronization

/// A coalescing wake-up for one waiting task: `signal()` from anywhere, `wait()` in one loop.
///
/// Signals sent while nobody waits are remembered (once), so none is lost between two waits.
public final class WakeSignal: Sendable {
    /// A pending signal and the waiter, if any.
    private struct State {
        /// A signal arrived while nobody waited.
        var pending = false
        /// The suspended waiter.
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// The shared state, held only for short updates.
    private let state = Mutex(State())

    /// Creates a signal with nothing pending.
    public init() {}

    /// Wakes the waiter, or remembers the signal for the next wait.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Whether a signal arrived (consuming it) or is pending, without waiting.
    public func consume() -> Bool {
        state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
    }

    /// Waits for a signal (consuming it); returns early when the task is cancelled.
    public func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Waits for a signal or until `deadline`, whichever comes first.
    /// - Parameter deadline: The latest instant to return at.
    public func wait(until deadline: ContinuousClock.Instant) async {
        guard deadline > .now else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
    }
}
