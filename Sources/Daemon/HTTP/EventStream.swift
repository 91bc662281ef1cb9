import Hummingbird
import OverlayFeed
import ServiceLifecycle

/// The HTTP side of an SSE stream: headers that proxies respect, and a body that writes the hub's bytes as they come.
enum EventStream {
    /// A `text/event-stream` response that ends when the hub finishes the subscription, the client goes away (a write
    /// fails), or the server shuts down gracefully.
    static func response(_ subscription: FeedSubscription) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .accelBuffering: "no"],
            body: ResponseBody { writer in
                for await buffer in subscription.cancelOnGracefulShutdown() {
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            }
        )
    }
}
