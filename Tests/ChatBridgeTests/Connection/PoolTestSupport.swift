import ChatBridge
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TwitchSimulator

/// A logger that drops everything (tests never bootstrap logging).
let poolTestLogger = Logger(label: "tumulte.tests.chat-pool") { _ in SwiftLogNoOpLogHandler() }

/// A failure of a pool test helper (a condition not met in time).
struct PoolTestError: Error, CustomStringConvertible {
    /// What happened.
    let description: String
}

/// Every event a pool emitted, with waits on conditions over them (no polling, no sleeps).
final class EventLog: Sendable {
    /// A suspended wait.
    private struct Waiter {
        /// The condition.
        let condition: @Sendable ([ChatPoolEvent]) -> Bool
        /// Resumed once the condition holds (or with an error on cancellation).
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Events and waiters.
    private struct State {
        /// Events in order of emission.
        var events: [ChatPoolEvent] = []
        /// Pending waits by id.
        var waiters: [Int: Waiter] = [:]
        /// The next waiter id.
        var nextID = 0
    }

    /// The shared state.
    private let state = Mutex(State())

    /// Creates an empty log.
    init() {}

    /// Appends an event and resumes the waits it satisfies.
    func append(_ event: ChatPoolEvent) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.events.append(event)
            let events = state.events
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in state.waiters where waiter.condition(events) {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// The events so far.
    var events: [ChatPoolEvent] { state.withLock { $0.events } }

    /// Waits until `condition` holds for the events so far.
    /// - Throws: `PoolTestError` after `timeout`.
    func waitUntil(
        _ what: String,
        timeout: Duration = .seconds(20),
        _ condition: @escaping @Sendable ([ChatPoolEvent]) -> Bool
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.suspend(until: condition) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PoolTestError(description: "timed out waiting for \(what)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Registers a wait and suspends until it is satisfied or cancelled.
    private func suspend(until condition: @escaping @Sendable ([ChatPoolEvent]) -> Bool) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let satisfied = state.withLock { state in
                    if condition(state.events) { return true }
                    state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return false
                }
                if satisfied {
                    continuation.resume()
                } else if Task.isCancelled {
                    cancel(id)
                }
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Fails a wait with `CancellationError` if it is still registered.
    private func cancel(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(throwing: CancellationError())
    }
}

extension [ChatPoolEvent] {
    /// How many `.joined` events name `channel`.
    func joinedCount(_ channel: String) -> Int {
        count { if case .joined(channel) = $0 { true } else { false } }
    }

    /// Whether every channel of `channels` was reported joined at least `times` times.
    func allJoined(_ channels: some Sequence<String>, times: Int = 1) -> Bool {
        channels.allSatisfy { joinedCount($0) >= times }
    }

    /// The chat messages received, in order.
    var chatMessages: [ChatMessage] {
        flatMap { event -> [ChatMessage] in
            guard case .messages(let lines) = event else { return [] }
            return lines.compactMap { if case .privmsg(let message) = $0 { message } else { nil } }
        }
    }

    /// Whether a chat message with `id` was received.
    func containsMessage(id: String) -> Bool {
        chatMessages.contains { $0.messageID == id }
    }

    /// The `.joinFailed` reasons for `channel`.
    func joinFailures(_ channel: String) -> [ChatPoolError] {
        compactMap { if case .joinFailed(channel, let reason) = $0 { reason } else { nil } }
    }

    /// The `.disconnected` events as (connection, reason).
    var disconnections: [(connection: Int, reason: ChatPoolError)] {
        compactMap { if case .disconnected(let id, let reason) = $0 { (id, reason) } else { nil } }
    }

    /// The `.loginFailed` events as (reason, retryAfter).
    var loginFailures: [(reason: ChatPoolError, retryAfter: Duration)] {
        compactMap { if case .loginFailed(let reason, let retryAfter) = $0 { (reason, retryAfter) } else { nil } }
    }
}

extension ChatConnectionPoolConfiguration {
    /// Settings for tests: a local URL and fast pacing, timeouts and backoff (limits stay enforced).
    static func forTests(url: String) -> ChatConnectionPoolConfiguration {
        ChatConnectionPoolConfiguration(
            url: url,
            connectionOpenInterval: .milliseconds(50),
            joinLimit: ChatRateLimit(count: 500, period: .seconds(1)),
            joinTimeout: .seconds(5),
            joinRetryBackoff: BackoffPolicy(initial: .milliseconds(100), maximum: .seconds(1)),
            suspendedChannelBackoff: BackoffPolicy(initial: .seconds(3_600), maximum: .seconds(7_200)),
            reconnectBackoff: BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(500)),
            loginTimeout: .seconds(5),
            reconnectOverlap: .seconds(10),
            closeTimeout: .seconds(1)
        )
    }
}

/// Runs a simulator and a pool against it for the duration of `body`, collecting every pool event;
/// then cancels both and waits for their `run()` to return.
/// - Parameters:
///   - options: The simulator's behaviour.
///   - channels: Channels wanted from the start.
///   - url: Builds the URL the pool connects to (e.g. a proxy in front of the simulator); the simulator by default.
///   - configure: Adjusts the pool's test configuration.
///   - body: The test, given the simulator, the pool and the event log.
@discardableResult
func withPool<Result: Sendable>(
    options: IRCSimulator.Options = .init(),
    channels: [String] = [],
    url: (@Sendable (IRCSimulator) -> String)? = nil,
    configure: (inout ChatConnectionPoolConfiguration) -> Void = { _ in },
    _ body: (IRCSimulator, ChatConnectionPool, EventLog) async throws -> Result
) async throws -> Result {
    // The simulator stamps accepts and JOINs on its own event loop: a private one keeps those stamps honest while
    // other suites load the shared loops (the 100,000-vote test runs in the same process).
    let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { loops.shutdownGracefully { _ in } }
    let simulator = IRCSimulator(options: options, eventLoopGroup: loops, logger: poolTestLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await simulator.run() }
        _ = await simulator.boundPort()
        var configuration = ChatConnectionPoolConfiguration.forTests(url: url?(simulator) ?? simulator.url)
        configure(&configuration)
        let pool = ChatConnectionPool(configuration: configuration, logger: poolTestLogger)
        pool.setChannels(channels)
        let log = EventLog()
        group.addTask {
            await pool.withEvents { events in
                for await event in events { log.append(event) }
            }
        }
        group.addTask { try await pool.run() }
        do {
            let result = try await body(simulator, pool, log)
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// A chat message with a fixed id, easy to find among the received ones.
func testMessage(_ id: String, text: String = "!vote 1") -> SimulatedMessage {
    SimulatedMessage(userID: "424242", login: "viewer", text: text, id: id)
}
