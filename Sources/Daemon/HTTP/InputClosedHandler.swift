import NIOCore

/// Calls back when the peer closes its side of the connection.
///
/// Hummingbird allows half-closed connections, so a client that goes away only closes the channel's input and the
/// channel stays open until the response ends; an idle event stream would notice at its next write, up to 15 s
/// later. This handler, put first in the pipeline of an event-stream connection, notices the close when it happens.
final class InputClosedHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private let onInputClosed: @Sendable () -> Void

    /// Creates the handler.
    init(_ onInputClosed: @escaping @Sendable () -> Void) {
        self.onInputClosed = onInputClosed
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.onInputClosed()
        }
        context.fireUserInboundEventTriggered(event)
    }
}
