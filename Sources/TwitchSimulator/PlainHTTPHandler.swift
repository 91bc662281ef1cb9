import NIOCore
import NIOHTTP1

/// Answers a plain HTTP request (no WebSocket upgrade) with `426 Upgrade Required` and closes.
///
/// Removed from the pipeline when the upgrade succeeds, so it never sees WebSocket frames.
final class PlainHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Reads HTTP request parts.
    typealias InboundIn = HTTPServerRequestPart
    /// Writes HTTP response parts.
    typealias OutboundOut = HTTPServerResponsePart

    /// The handler's pipeline name.
    static let name = "twitch-simulator-plain-http"

    /// Answers 426 once the request is complete, then closes.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let body = "Twitch IRC simulator: connect with a WebSocket client.\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .upgradeRequired, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
