import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis: a channel with the RESP decoder and ``RedisChannelHandler``.
///
/// All methods may be called from any task; writes go through the channel, so pipelined
/// requests from concurrent callers are answered in the order they were written.
final class RedisConnection: Sendable {
    /// The underlying channel.
    let channel: any Channel
    private let logger: Logger

    /// Wraps a channel whose pipeline came from ``makeHandlers(configuration:pushes:logger:)``.
    init(channel: any Channel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    /// The handlers a Redis channel needs, in pipeline order.
    /// - Parameters:
    ///   - configuration: Supplies the command timeout and reply limits.
    ///   - pushes: Where pub/sub messages go; `nil` for a command connection.
    ///   - logger: Logger for connection failures.
    static func makeHandlers(
        configuration: RedisConfiguration,
        pushes: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation?,
        logger: Logger
    ) -> [any ChannelHandler] {
        [
            ByteToMessageHandler(
                RESPReplyDecoder(
                    maxReplyBytes: configuration.maxReplyBytes,
                    maxReplyElements: configuration.maxReplyElements
                )
            ),
            RedisChannelHandler(
                commandTimeout: TimeAmount(configuration.commandTimeout),
                pushes: pushes,
                logger: logger
            ),
        ]
    }

    /// Connects, then authenticates and selects the database as configured.
    /// - Throws: ``RedisError/Code/connectionUnavailable`` when the TCP connect fails,
    ///   ``RedisError/Code/authenticationFailed`` when AUTH is refused.
    static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup,
        pushes: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation? = nil,
        logger: Logger
    ) async throws(RedisError) -> RedisConnection {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        Self.makeHandlers(configuration: configuration, pushes: pushes, logger: logger)
                    )
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError(
                .connectionUnavailable,
                message: "could not connect to \(configuration.host):\(configuration.port): \(error)"
            )
        }
        let connection = RedisConnection(channel: channel, logger: logger)
        do {
            try await connection.handshake(configuration: configuration)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Sends one command and returns its reply; an error reply is thrown.
    func execute(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        self.logger.debug("Redis command", metadata: [RedisLogKey.command: "\(command.name)"])
        let replies = try await self.send(
            RedisCommand.encode(CollectionOfOne(command), allocator: self.channel.allocator),
            replyCount: 1
        )
        guard let reply = replies.first else {
            throw RedisError(.protocolError, message: "no reply for \(command.name)")
        }
        if case .error(let text) = reply {
            throw RedisError(serverReply: text)
        }
        return reply
    }

    /// Sends commands in one write and one flush; returns one result per command, in order.
    func execute(_ commands: [RedisCommand]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        self.logger.debug(
            "Redis pipeline",
            metadata: [
                RedisLogKey.batchSize: "\(commands.count)",
                RedisLogKey.command: "\(commands[0].name)",
            ]
        )
        let replies = try await self.send(
            RedisCommand.encode(commands, allocator: self.channel.allocator),
            replyCount: commands.count
        )
        return replies.map { reply in
            if case .error(let text) = reply {
                return .failure(RedisError(serverReply: text))
            }
            return .success(reply)
        }
    }

    /// Writes encoded bytes with one flush and waits for `replyCount` replies.
    func send(_ bytes: ByteBuffer, replyCount: Int) async throws(RedisError) -> [RESPValue] {
        let promise = self.channel.eventLoop.makePromise(of: [RESPValue].self)
        let written = self.channel.eventLoop.makePromise(of: Void.self)
        // If the handler is already gone (channel closed) the write fails before reaching it.
        written.futureResult.whenFailure { error in
            promise.fail(RedisError(closedBy: error))
        }
        self.channel.writeAndFlush(RedisRequest(bytes: bytes, replyCount: replyCount, promise: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch {
            throw RedisError(closedBy: error)
        }
    }

    /// Closes the connection; pending commands fail with ``RedisError/Code/connectionClosed``.
    func close() {
        self.channel.close(promise: nil)
    }

    /// AUTH and SELECT, pipelined; AUTH failure is reported as ``RedisError/Code/authenticationFailed``.
    private func handshake(configuration: RedisConfiguration) async throws(RedisError) {
        var commands: [RedisCommand] = []
        if let password = configuration.password {
            if let username = configuration.username {
                commands.append(RedisCommand("AUTH", username, password))
            } else {
                commands.append(RedisCommand("AUTH", password))
            }
        }
        if configuration.database != 0 {
            commands.append(RedisCommand("SELECT", String(configuration.database)))
        }
        guard !commands.isEmpty else { return }
        let results = try await self.execute(commands)
        for (command, result) in zip(commands, results) {
            guard case .failure(let error) = result else { continue }
            if command.name == "AUTH" {
                throw RedisError(.authenticationFailed, message: error.message)
            }
            throw RedisError(error.code, message: "\(command.name) failed: \(error.message)")
        }
    }
}
