/// An operation did not finish in time (typically PostgreSQL unreachable: its pool waits for a connection).
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    /// What was attempted.
    public let operation: String
    /// How long it was given.
    public let limit: Duration

    /// `operation timed out after limit`.
    public var description: String { "\(self.operation) timed out after \(self.limit)" }
}

/// Runs `body`, cancelling it and throwing ``TimeoutError`` when it takes longer than `limit`.
///
/// `body` must honour cancellation (PostgresNIO's connection requests and queries do), or this waits for it.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutError(operation: operation, limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}

/// Runs `body` and returns its result, or `fallback` once `limit` has passed (cancelling `body`, which must honour it).
func result<T: Sendable>(within limit: Duration, otherwise fallback: T, _ body: @escaping @Sendable () async -> T) async -> T {
    await withTaskGroup(of: T.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return fallback
        }
        let first = await group.next() ?? fallback
        group.cancelAll()
        return first
    }
}
