import Synchronization

/// Wakes the hub's loop: `signal()` from anywhere without suspending, `wait(until:)` in the loop.
///
/// A signal sent while the loop is busy is remembered (once), so none is lost between two waits.
final class FeedWake: Sendable {
    /// A remembered signal and the suspended waiter.
    private struct State {
        /// A signal arrived while nobody waited.
        var pending = false
        /// The suspended waiter, if any.
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// The shared state, held only for short updates.
    private let state = Mutex(State())

    /// Creates a wake-up with nothing pending.
    init() {}

    /// Wakes the waiter, or remembers the signal for the next wait.
    func signal() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a signal, for `deadline` on `clock` (when given), or for cancellation, whichever comes first.
    func wait(until deadline: Duration?, clock: FeedClock) async {
        guard let deadline else { return await self.wait() }
        guard deadline > clock.now else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits for a signal (consuming it); returns early when the task is cancelled.
    private func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
