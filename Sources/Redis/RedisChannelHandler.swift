import Logging
import NIOCore

/// One write from ``RedisConnection``: encoded commands and the promise for their replies.
struct RedisRequest: Sendable {
    /// The commands, already encoded as RESP.
    var bytes: ByteBuffer
    /// How many replies the bytes will produce (one per command, or one per channel for `SUBSCRIBE`).
    var replyCount: Int
    /// Completed with the replies in order, or failed with a ``RedisError``.
    var promise: EventLoopPromise<[RESPValue]>
}

/// Matches replies to requests in FIFO order, which gives pipelining for free.
///
/// A request is queued when it is written and completed once its `replyCount` replies arrived.
/// Only the oldest request can be late, so one timer armed for its deadline covers the queue;
/// on expiry that request fails with `timeout` and the connection closes (later replies would be
/// misaligned). When the channel closes, queued requests fail with `connectionClosed`, or with the
/// decoder's `protocolError`/`replyTooLarge` if that is why it closed.
///
/// In pub/sub mode, `message` pushes go to the subscription stream instead of the queue.
final class RedisChannelHandler: ChannelDuplexHandler {
    /// Decoded replies from ``RESPReplyDecoder``.
    typealias InboundIn = RESPValue
    /// Requests from ``RedisConnection``.
    typealias OutboundIn = RedisRequest
    /// Encoded bytes to the socket.
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<[RESPValue]>
        var remaining: Int
        var replies: [RESPValue]
        var deadline: NIODeadline
    }

    private enum State {
        case open
        case closed(RedisError)
    }

    private var state: State = .open
    private var pending: CircularBuffer<Pending> = CircularBuffer(initialCapacity: 16)
    private var timer: Scheduled<Void>?
    private let commandTimeout: TimeAmount
    private let pushes: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation?
    private let logger: Logger

    /// Creates a handler.
    /// - Parameters:
    ///   - commandTimeout: How long a request may wait for its replies.
    ///   - pushes: Where pub/sub `message` pushes go; `nil` for a command connection.
    ///   - logger: Logger for connection failures.
    init(
        commandTimeout: TimeAmount,
        pushes: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation?,
        logger: Logger
    ) {
        self.commandTimeout = commandTimeout
        self.pushes = pushes
        self.logger = logger
    }

    /// Queues the request's promise and writes its bytes; fails it at once if the connection is closed.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        if case .closed(let error) = self.state {
            request.promise.fail(error)
            promise?.fail(error)
            return
        }
        guard request.replyCount > 0 else {
            request.promise.succeed([])
            promise?.succeed()
            return
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(request.replyCount)
        self.pending.append(
            Pending(
                promise: request.promise,
                remaining: request.replyCount,
                replies: replies,
                deadline: context.eventLoop.now + self.commandTimeout
            )
        )
        if self.timer == nil {
            self.armTimer(context: context)
        }
        context.write(Self.wrapOutboundOut(request.bytes), promise: promise)
    }

    /// Routes a pub/sub push to the subscription, or adds a reply to the oldest pending request.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open = self.state else { return }
        let value = Self.unwrapInboundIn(data)
        if let pushes = self.pushes, let message = RedisPubSubMessage(push: value) {
            if case .dropped = pushes.yield(message) {
                self.fail(
                    RedisError(.connectionClosed, message: "subscription buffer full: the consumer is too slow"),
                    context: context
                )
            }
            return
        }
        guard !self.pending.isEmpty else {
            let preview = String(value.description.prefix(64))
            self.fail(RedisError(.protocolError, message: "reply received with no command pending: \(preview)"), context: context)
            return
        }
        let index = self.pending.startIndex
        self.pending[index].replies.append(value)
        self.pending[index].remaining -= 1
        if self.pending[index].remaining == 0 {
            let done = self.pending.removeFirst()
            done.promise.succeed(done.replies)
        }
    }

    /// Fails every pending request with the error (decoder errors keep their code) and closes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(RedisError(closedBy: error), context: context)
    }

    /// Fails every pending request with `connectionClosed`.
    func channelInactive(context: ChannelHandlerContext) {
        self.shutDown(RedisError(.connectionClosed, message: "connection closed"))
        context.fireChannelInactive()
    }

    /// Same clean-up as `channelInactive`, in case the handler is removed first.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.shutDown(RedisError(.connectionClosed, message: "connection closed"))
    }

    // MARK: Private

    /// Logs why the connection is being closed, fails every request with `error`, and closes the channel.
    private func fail(_ error: RedisError, context: ChannelHandlerContext, reason: RedisError? = nil) {
        guard case .open = self.state else { return }
        self.logger.info("Redis connection error", metadata: [RedisLogKey.error: "\(reason ?? error)"])
        self.shutDown(error)
        context.close(promise: nil)
    }

    private func shutDown(_ error: RedisError) {
        if case .open = self.state {
            self.state = .closed(error)
        }
        self.timer?.cancel()
        self.timer = nil
        while let request = self.pending.popFirst() {
            request.promise.fail(error)
        }
        self.pushes?.finish(throwing: error)
    }

    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = self.pending.first?.deadline else {
            self.timer = nil
            return
        }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        guard case .open = self.state, let oldest = self.pending.first else { return }
        guard oldest.deadline <= context.eventLoop.now else {
            self.armTimer(context: context)
            return
        }
        let timeout = RedisError(.timeout, message: "no reply within \(self.commandTimeout)")
        self.pending.removeFirst().promise.fail(timeout)
        self.fail(
            RedisError(.connectionClosed, message: "connection closed after a command timed out"),
            context: context,
            reason: timeout
        )
    }
}
