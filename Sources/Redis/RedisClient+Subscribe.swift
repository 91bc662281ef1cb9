import Logging
import NIOCore

extension RedisClient {
    /// Subscribes to channels on a dedicated connection for the duration of `body`.
    ///
    /// The subscription is confirmed by Redis before `body` runs, so a message published after
    /// `body` starts is delivered. When `body` returns or throws (including on cancellation) the
    /// channels are unsubscribed, the confirmation awaited, and the connection closed. If the
    /// connection drops, iterating the subscription throws ``RedisError/Code/connectionClosed``;
    /// the caller subscribes again.
    /// - Parameters:
    ///   - channels: Channel names; at least one.
    ///   - body: Receives the subscription; its result is returned.
    /// - Throws: ``RedisError`` when connecting or subscribing fails, or whatever `body` throws.
    public func subscribe<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        to channels: [String],
        _ body: (RedisSubscription) async throws -> T
    ) async throws -> T {
        precondition(!channels.isEmpty, "subscribe(to:) needs at least one channel")
        let (stream, continuation) = AsyncThrowingStream<RedisPubSubMessage, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(max(self.configuration.subscriptionBufferSize, 1))
        )
        var logger = self.logger
        logger[metadataKey: RedisLogKey.channels] = "\(channels.joined(separator: ","))"
        let connection = try await RedisConnection.connect(
            configuration: self.configuration,
            eventLoopGroup: self.eventLoopGroup,
            pushes: continuation,
            logger: logger
        )
        do {
            try await Self.send(connection: connection, command: "SUBSCRIBE", channels: channels)
        } catch {
            connection.close()
            continuation.finish()
            throw error
        }
        logger.info("Redis subscribed")

        let result: T
        do {
            result = try await body(RedisSubscription(stream: stream))
        } catch {
            await Self.unsubscribe(connection: connection, channels: channels, continuation: continuation, logger: logger)
            throw error
        }
        await Self.unsubscribe(connection: connection, channels: channels, continuation: continuation, logger: logger)
        return result
    }

    /// Sends `SUBSCRIBE`/`UNSUBSCRIBE` and checks the per-channel confirmations.
    private static func send(connection: RedisConnection, command: String, channels: [String]) async throws(RedisError) {
        let bytes = RedisCommand.encode(CollectionOfOne(RedisCommand(command, channels)), allocator: connection.channel.allocator)
        let replies = try await connection.send(bytes, replyCount: channels.count)
        for reply in replies {
            if case .error(let text) = reply {
                throw RedisError(serverReply: text)
            }
            guard let kind = reply.array?.first?.string, kind == command.lowercased() else {
                throw RedisError(.protocolError, message: "unexpected \(command) confirmation: \(reply)")
            }
        }
    }

    /// Unsubscribes (waiting for Redis to confirm, so no message is routed to us afterwards), then closes.
    private static func unsubscribe(
        connection: RedisConnection,
        channels: [String],
        continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation,
        logger: Logger
    ) async {
        do {
            try await Self.send(connection: connection, command: "UNSUBSCRIBE", channels: channels)
        } catch {
            logger.debug("Redis unsubscribe failed", metadata: [RedisLogKey.error: "\(error)"])
        }
        connection.close()
        continuation.finish()
        logger.info("Redis unsubscribed")
    }
}
