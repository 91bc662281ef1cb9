public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A Redis client that keeps one command connection up and reconnects by itself.
///
/// Run it as a `Service` (``run()``). Commands on the shared connection are pipelined: concurrent
/// callers share one TCP connection and are answered in order. While the connection is down,
/// ``execute(_:)-(RedisCommand)`` fails at once with ``RedisError/Code/connectionUnavailable`` instead
/// of waiting, so callers can buffer or report "down". Subscriptions use their own connections.
public final class RedisClient: Service, Sendable {
    private struct State: Sendable {
        var running = false
        var connection: RedisConnection?
        var nextWaiterID = 0
        var waiters: [Int: (connected: Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
        var cancelledWaiters: Set<Int> = []
    }

    /// The configuration this client was created with.
    let configuration: RedisConfiguration
    /// The injected logger, with `redis.host` and `redis.port` metadata.
    let logger: Logger
    /// Where connections live.
    let eventLoopGroup: any EventLoopGroup
    private let state = Mutex(State())

    /// Creates a client; nothing connects until ``run()``.
    /// - Parameters:
    ///   - configuration: Server address, credentials, timeouts and limits.
    ///   - logger: Logger for connection lifecycle (info) and commands (debug).
    ///   - eventLoopGroup: Where connections live.
    public init(
        configuration: RedisConfiguration,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: RedisLogKey.host] = "\(configuration.host)"
        logger[metadataKey: RedisLogKey.port] = "\(configuration.port)"
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Keeps one command connection up until graceful shutdown or cancellation; call it once.
    ///
    /// Connects (with the connect timeout), sends AUTH and SELECT as configured, and after any
    /// failure or drop reconnects with capped, jittered backoff.
    public func run() async {
        let alreadyRunning = self.state.withLock { state in
            defer { state.running = true }
            return state.running
        }
        precondition(!alreadyRunning, "RedisClient.run() must only be called once")
        await cancelWhenGracefulShutdown {
            await self.maintainConnection()
        }
    }

    /// Whether the command connection is up right now.
    public var isConnected: Bool {
        self.state.withLock { $0.connection }?.channel.isActive ?? false
    }

    /// Sends one command and returns its reply.
    ///
    /// - Throws: ``RedisError`` with code `server` (or `noScript`) for an error reply,
    ///   `connectionUnavailable` at once when not connected, `connectionClosed` when the connection
    ///   drops while waiting, `timeout` after the command timeout.
    public func execute(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        try await self.currentConnection().execute(command)
    }

    /// Sends commands pipelined (one write, one flush) and returns one result per command, in order.
    ///
    /// Error replies are `.failure` entries; the call itself throws only for transport failures
    /// (`connectionUnavailable`, `connectionClosed`, `timeout`, `protocolError`, `replyTooLarge`).
    public func execute(_ commands: [RedisCommand]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        try await self.currentConnection().execute(commands)
    }

    /// Waits until the connection state is `connected`, or `timeout` passes; returns whether it was reached.
    public func waitUntil(connected: Bool, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitUntil(connected: connected)
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let reached = await group.next() ?? false
            group.cancelAll()
            return reached
        }
    }

    // MARK: Private

    private func currentConnection() throws(RedisError) -> RedisConnection {
        guard let connection = self.state.withLock({ $0.connection }), connection.channel.isActive else {
            throw RedisError(
                .connectionUnavailable,
                message: "not connected to Redis at \(self.configuration.host):\(self.configuration.port)"
            )
        }
        return connection
    }

    private func maintainConnection() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await RedisConnection.connect(
                    configuration: self.configuration,
                    eventLoopGroup: self.eventLoopGroup,
                    logger: self.logger
                )
                failures = 0
                self.setConnection(connection)
                self.logger.info("Redis connected", metadata: [RedisLogKey.database: "\(self.configuration.database)"])
                await withTaskCancellationHandler {
                    try? await connection.channel.closeFuture.get()
                } onCancel: {
                    connection.close()
                }
                self.setConnection(nil)
                self.logger.info("Redis disconnected")
            } catch {
                // Repeated failures while Redis stays down are logged at debug to keep logs readable.
                let level: Logger.Level = failures == 0 ? .info : .debug
                self.logger.log(
                    level: level,
                    "Redis connection failed",
                    metadata: [RedisLogKey.error: "\(error)"]
                )
                failures += 1
            }
            if Task.isCancelled { break }
            let delay = self.configuration.reconnectBackoff.delay(forAttempt: max(failures - 1, 0))
            self.logger.debug("Redis reconnect scheduled", metadata: [RedisLogKey.delay: "\(delay)"])
            do {
                try await Task.sleep(for: delay)
            } catch {
                break
            }
        }
    }

    private func setConnection(_ connection: RedisConnection?) {
        let ready = self.state.withLock { state in
            state.connection = connection
            let connected = connection != nil
            let ids = state.waiters.filter { $0.value.connected == connected }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready {
            continuation.resume()
        }
    }

    private func waitUntil(connected: Bool) async {
        let id = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    let isConnected = state.connection?.channel.isActive ?? false
                    if isConnected == connected || state.cancelledWaiters.remove(id) != nil {
                        return true
                    }
                    state.waiters[id] = (connected, continuation)
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelledWaiters.insert(id)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return waiter.continuation
            }
            waiter?.resume()
        }
    }
}
