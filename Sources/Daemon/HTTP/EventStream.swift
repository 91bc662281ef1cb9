import Hummingbird
import NIOCore
import OverlayFeed
import ServiceLifecycle
import Synchronization

/// The HTTP side of an SSE stream: headers that proxies respect, and a body that writes the hub's bytes as they come.
enum EventStream {
    /// The `SO_SNDBUF` of an event-stream connection.
    static let sendBufferBytes: SocketOptionValue = 32 * 1024

    /// Subscribes the request to `topic` and answers with a `text/event-stream` response that ends when the hub
    /// finishes the subscription, the client goes away (its connection closes), or the server shuts down gracefully.
    ///
    /// When the hub drops the client for being slow, its connection is closed: the response may be stuck writing
    /// to a socket nobody reads, and closing fails that write and frees what the connection holds.
    static func response(feed: FeedHub, topic: String, request: Request, context: AppRequestContext) -> Response {
        let connection = context.connection
        // Linux grows a socket's send buffer up to `tcp_wmem` (4 MiB) even for a peer that reads nothing, which
        // would hide a stalled client from the hub for minutes. Events are small: 32 KiB (64 KiB as the kernel
        // counts it) carries a stream at 640 KB/s over a 100 ms round trip, far above what a poll sends.
        _ = connection.setOption(.socketOption(.so_sndbuf), value: Self.sendBufferBytes)
        let subscription = feed.subscribe(topic: topic, lastEventID: request.headers[.lastEventID]) {
            connection.close(promise: nil)
        }
        // An idle stream writes nothing for up to 15 s, so a write failing is too late a sign that the client left:
        // the peer closing its side, or the connection closing, ends the subscription at once. Both hooks are let go
        // when the response ends, so a keep-alive connection serving many streams does not accumulate them.
        let current = CurrentStream(subscription)
        connection.closeFuture.whenComplete { _ in current.finish() }
        let watcher = InputClosedHandler { current.finish() }
        _ = connection.pipeline.addHandler(watcher, position: .first)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .accelBuffering: "no"],
            body: ResponseBody { writer in
                // Hummingbird waits for open responses on shutdown; a handler (not `cancelOnGracefulShutdown()`, which
                // costs two tasks per stream) ends the stream instead.
                defer {
                    current.release()
                    connection.pipeline.removeHandler(watcher, promise: nil)
                }
                try await withGracefulShutdownHandler {
                    for await buffer in subscription {
                        try await writer.write(buffer)
                    }
                } onGracefulShutdown: {
                    subscription.finish()
                    // A write stuck on a client that reads nothing cannot see the end; cut it after a second so the
                    // shutdown (and the vote sink's flush behind it) is not held for the whole grace period.
                    _ = connection.eventLoop.scheduleTask(in: .seconds(1)) { connection.close(promise: nil) }
                }
                try await writer.finish(nil)
            }
        )
    }
}

/// The subscription a connection's close hooks may end, until the response is over and lets go of it.
private final class CurrentStream: Sendable {
    private let subscription: Mutex<FeedSubscription?>

    init(_ subscription: FeedSubscription) {
        self.subscription = Mutex(subscription)
    }

    /// Ends the stream if the response still runs.
    func finish() {
        self.subscription.withLock { $0 }?.finish()
    }

    /// Forgets the subscription (the response is over).
    func release() {
        self.subscription.withLock { $0 = nil }
    }
}
