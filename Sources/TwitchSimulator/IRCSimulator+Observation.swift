import Synchronization

extension IRCSimulator {
    /// Every JOIN command received so far, in order of receipt.
    public func joinLog() -> [JoinRecord] {
        state.withLock { $0.joinLog }
    }

    /// The live connections, by id.
    public func connections() -> [ConnectionInfo] {
        state.withLock { $0.snapshot.connections }
    }

    /// Lines received per command (`CAP`, `PASS`, `NICK`, `JOIN`, `PING`, `PONG`, ...) since start.
    public func commandCounts() -> [String: Int] {
        state.withLock { $0.commandCounts }
    }

    /// The `PRIVMSG`s clients sent, in order of receipt.
    public func clientMessages() -> [ClientChatMessage] {
        state.withLock { $0.clientMessages }
    }

    /// The current state as one consistent view.
    public func snapshot() -> Snapshot {
        state.withLock { $0.snapshot }
    }

    /// Waits until `condition` holds for the state; it is re-checked on every change (no polling).
    /// - Parameters:
    ///   - timeout: How long to wait.
    ///   - condition: Evaluated under the simulator's lock: keep it fast and side-effect free.
    /// - Throws: `IRCSimulatorError.Code.timedOut`, or `CancellationError`.
    public func waitUntil(timeout: Duration = .seconds(30), _ condition: @escaping @Sendable (Snapshot) -> Bool) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.awaitCondition(condition) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw IRCSimulatorError(.timedOut, message: "condition not met within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Waits until every channel in `channels` is joined by at least `connections` live connections (default 1).
    /// - Parameters:
    ///   - channels: Channel logins, with or without `#`.
    ///   - connections: Connections each channel must be joined on, nil for one.
    ///   - timeout: How long to wait.
    /// - Throws: `IRCSimulatorError.Code.timedOut`, or `CancellationError`.
    public func waitForJoined(_ channels: Set<String>, connections: Int? = nil, timeout: Duration = .seconds(30)) async throws {
        let names = Set(channels.map(TwitchLines.channelName))
        let needed = max(1, connections ?? 1)
        try await waitUntil(timeout: timeout) { snapshot in
            var counts: [String: Int] = [:]
            for connection in snapshot.connections {
                for channel in connection.joinedChannels where names.contains(channel) { counts[channel, default: 0] += 1 }
            }
            return names.allSatisfy { counts[$0, default: 0] >= needed }
        }
    }

    /// Waits until exactly `count` connections are live and logged in.
    /// - Parameters:
    ///   - count: Logged-in connections expected.
    ///   - timeout: How long to wait.
    /// - Throws: `IRCSimulatorError.Code.timedOut`, or `CancellationError`.
    public func waitForLoggedInConnections(_ count: Int, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil(timeout: timeout) { snapshot in
            snapshot.connections.count { $0.login != nil } == count
        }
    }

    /// Registers a waiter and suspends until it is resumed.
    private func awaitCondition(_ condition: @escaping @Sendable (Snapshot) -> Bool) async throws {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let satisfied = state.withLock { state in
                    if condition(state.snapshot) { return true }
                    state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return false
                }
                if satisfied {
                    continuation.resume()
                } else if Task.isCancelled {
                    cancelWaiter(id)
                }
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    /// Fails a waiter with `CancellationError` if it is still registered.
    private func cancelWaiter(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(throwing: CancellationError())
    }
}
