import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TestSupport

/// An SSE client on one plain TCP connection, with nothing between the test and the socket: it sends a raw
/// HTTP/1.1 `GET` and splits the response into events itself, so a test can hold many of them open at once
/// (no client pool limits) or open one that never reads.
struct RawEventStream: Sendable {
    /// One SSE event block: its `event:` name and `id:` (comments and the `retry:` block have neither).
    struct Event: Sendable {
        var name: String?
        var id: String?
        var data: String
        /// The `<version>` part of `<pollId>:<version>`, or -1.
        var version: Int { self.id.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } } ?? -1 }
    }

    /// The request bytes for `path` on `port`.
    static func request(path: String, port: Int) -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\nConnection: keep-alive\r\n\r\n"
    }

    /// Opens a reading client, sends the request, and hands every event of the body to `handle` until it returns
    /// true or the server closes the stream. Returns the number of response bytes read.
    @discardableResult
    static func read(
        port: Int,
        path: String,
        handle: @Sendable (Event) async throws -> Bool
    ) async throws -> Int {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: Self.request(path: path, port: port)))
            var pending = ""
            var bytes = 0
            var inBody = false
            for try await chunk in inbound {
                bytes += chunk.readableBytes
                pending += String(buffer: chunk)
                if !inBody {
                    guard let end = pending.range(of: "\r\n\r\n") else { continue }
                    pending = String(pending[end.upperBound...])
                    inBody = true
                }
                // The body is chunked: drop the chunk-size lines, which sit alone between CRLFs.
                while let range = pending.range(of: "\n\n") {
                    let block = Self.unchunked(String(pending[..<range.lowerBound]))
                    pending = String(pending[range.upperBound...])
                    var event = Event(data: "")
                    for line in block.split(separator: "\n") {
                        if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                        if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                        if line.hasPrefix("data: ") { event.data += line.dropFirst(6) }
                    }
                    if try await handle(event) { return bytes }
                }
            }
            return bytes
        }
    }

    /// The SSE lines of `block` without HTTP chunk framing (`\r\n<hex>\r\n` between chunks).
    private static func unchunked(_ block: String) -> String {
        // "\r\n" is a single Character in Swift, so it is replaced before splitting on "\n".
        block.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: true)
            .filter { line in !line.allSatisfy(\.isHexDigit) }
            .joined(separator: "\n")
    }
}

/// A client that sends its request and then reads nothing: its tiny receive buffer fills, the server's socket
/// stops being writable, and the daemon has to decide what to do with it.
final class StalledClient: Sendable {
    private let channel: any Channel
    private let received = Shared(0)
    private let closed: EventLoopPromise<Void>

    /// Counts the bytes read and reports the close.
    private final class Counter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let count: @Sendable (Int) -> Void
        let close: @Sendable () -> Void
        init(count: @escaping @Sendable (Int) -> Void, close: @escaping @Sendable () -> Void) {
            self.count = count
            self.close = close
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.count(Self.unwrapInboundIn(data).readableBytes)
        }
        func channelInactive(context: ChannelHandlerContext) {
            self.close()
            context.fireChannelInactive()
        }
    }

    /// Connects with a 2 KiB receive buffer and reading off, and sends the request for `path`.
    init(port: Int, path: String) async throws {
        let received = self.received
        let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        self.closed = promise
        do {
            self.channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.so_rcvbuf), value: 2048)
                .channelOption(.autoRead, value: false)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            Counter(count: { bytes in received.withLock { $0 += bytes } }, close: { promise.succeed() })
                        )
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .get()
        } catch {
            promise.succeed()
            throw error
        }
        try await self.channel.writeAndFlush(ByteBuffer(string: RawEventStream.request(path: path, port: port)))
    }

    /// Starts reading and waits until the server has closed the connection; returns the bytes read in all, or
    /// throws if the connection is still open after `limit`.
    func drain(within limit: Duration) async throws -> Int {
        try await self.channel.setOption(.autoRead, value: true).get()
        self.channel.read()
        let closed = self.closed.futureResult
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await closed.get()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let wasClosed = try await group.next() ?? false
            group.cancelAll()
            guard wasClosed else {
                // Closing fulfils the close promise, so the group can end; a future's get() ignores cancellation.
                try? await self.channel.close()
                throw ChildProcess.Timeout(description: "the stalled client's connection is still open after \(limit)")
            }
        }
        return self.received.withLock { $0 }
    }

    /// Closes the connection if it is still open.
    func close() async {
        try? await self.channel.close()
    }
}
