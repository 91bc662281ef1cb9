import Synchronization

/// A value shared between a test's tasks, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// Creates the value.
    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock.
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        self.mutex.withLock { body(&$0) }
    }
}
