import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

@testable import Redis

/// Where the shared integration Redis lives: `REDIS_HOSTNAME` (127.0.0.1) and `REDIS_PORT` (6379).
enum SharedRedis {
    static var host: String { ProcessInfo.processInfo.environment["REDIS_HOSTNAME"] ?? "127.0.0.1" }
    static var port: Int { ProcessInfo.processInfo.environment["REDIS_PORT"].flatMap(Int.init) ?? 6379 }
    static var configuration: RedisConfiguration { RedisConfiguration(host: host, port: port) }
}

/// A failure with a readable message, for `throw` in test helpers.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A unique key (or channel) name per test.
func uniqueName(_ prefix: String = "key") -> String {
    "tumulte-test:\(prefix):\(UUID().uuidString)"
}

/// Captured log records; records can be awaited as they arrive.
final class LogCapture: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])
    private let continuation: AsyncStream<Record>.Continuation
    /// Every record, in order, as it is logged.
    let stream: AsyncStream<Record>

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Record.self)
    }

    var logger: Logger {
        var logger = Logger(label: "tumulte.redis.tests") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: [Record] { self.records.withLock { $0 } }

    /// The first record (already logged or upcoming) whose message is `message`; `nil` after `timeout`.
    func first(_ message: String, timeout: Duration = .seconds(10)) async -> Record? {
        await withTaskGroup(of: Record?.self) { group in
            group.addTask {
                for await record in self.stream where record.message == message {
                    return record
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    fileprivate func append(_ record: Record) {
        self.records.withLock { $0.append(record) }
        self.continuation.yield(record)
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.capture.append(
                Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
            )
        }
    }
}

/// Runs `body` with a client whose `run()` is active and connected; cancels it afterwards.
func withRedisClient<T: Sendable>(
    _ configuration: RedisConfiguration = SharedRedis.configuration,
    logger: Logger = LogCapture().logger,
    requireConnection: Bool = true,
    _ body: @Sendable (RedisClient) async throws -> T
) async throws -> T {
    let client = RedisClient(configuration: configuration, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        if requireConnection {
            guard await client.waitUntil(connected: true, timeout: .seconds(10)) else {
                throw TestFailure(
                    "Redis is not reachable at \(configuration.host):\(configuration.port) "
                        + "(set REDIS_HOSTNAME / REDIS_PORT to a running redis-server)"
                )
            }
        }
        return try await body(client)
    }
}

/// Deletes `keys` on the shared instance (cleanup after a test).
func deleteKeys(_ keys: [String], client: RedisClient) async throws {
    guard !keys.isEmpty else { return }
    _ = try await client.execute(RedisCommand("DEL", keys))
}

/// Counts writes and flushes that reach the front of a test pipeline.
final class FlushCounter: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counts = Mutex<(writes: Int, flushes: Int)>((0, 0))

    var writes: Int { self.counts.withLock { $0.writes } }
    var flushes: Int { self.counts.withLock { $0.flushes } }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.counts.withLock { $0.writes += 1 }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        self.counts.withLock { $0.flushes += 1 }
        context.flush()
    }
}

/// A ``RedisConnection`` over a `NIOAsyncTestingChannel`, with a flush counter at the socket end.
struct TestingConnection: Sendable {
    let channel: NIOAsyncTestingChannel
    let connection: RedisConnection
    let counter: FlushCounter

    init(configuration: RedisConfiguration = RedisConfiguration(), logger: Logger = LogCapture().logger) async throws {
        let counter = FlushCounter()
        self.channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(counter)
            try channel.pipeline.syncOperations.addHandlers(
                RedisConnection.makeHandlers(configuration: configuration, pushes: nil, logger: logger)
            )
        }
        try await self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).get()
        self.connection = RedisConnection(channel: self.channel, logger: logger)
        self.counter = counter
    }

    /// The next outbound bytes as a string.
    func nextWrite() async throws -> String {
        String(buffer: try await self.channel.waitForOutboundWrite(as: ByteBuffer.self))
    }

    /// Feeds reply bytes as if Redis had sent them.
    func reply(_ text: String) async throws {
        try await self.channel.writeInbound(ByteBuffer(string: text))
    }
}

/// A value set once and awaited with a bound, so a test never waits forever.
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    var value: Value? { self.state.withLock { $0.value } }

    /// Sets the value unless one is set already, and wakes the waiters.
    func fulfil(_ value: Value) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The value, or `fallback` (which then becomes the value) if none arrives within `timeout`.
    func wait(timeout: Duration, fallback: Value) async -> Value {
        await withTaskGroup(of: Value.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let value = self.state.withLock { state -> Value? in
                        if let value = state.value { return value }
                        state.waiters.append(continuation)
                        return nil
                    }
                    if let value { continuation.resume(returning: value) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return fallback
            }
            let first = await group.next() ?? fallback
            self.fulfil(first)  // releases the other child if the timeout won
            group.cancelAll()
            return self.value ?? first
        }
    }
}
