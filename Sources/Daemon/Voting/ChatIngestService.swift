public import ChatBridge
public import Logging
public import ServiceLifecycle

/// Runs the chat connection pool and feeds every frame's events to the vote pipeline.
///
/// Consuming the pool's events here applies back-pressure to the sockets: the pipeline only parses and queues,
/// so a frame is handled in microseconds and the sockets are read as fast as Twitch sends.
public struct ChatIngestService: Service {
    private let pool: ChatConnectionPool
    private let pipeline: ChatVotePipeline
    private let logger: Logger

    /// Creates the service.
    public init(pool: ChatConnectionPool, pipeline: ChatVotePipeline, logger: Logger) {
        self.pool = pool
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.pool.run() }
            await self.pool.withEvents { events in
                for await event in events {
                    self.handle(event)
                }
            }
        }
    }

    private func handle(_ event: ChatPoolEvent) {
        switch event {
        case .messages(let events):
            self.pipeline.handle(events)
        case .connected(let connection, let login):
            self.logger.info("chat connected", metadata: ["twitch.connection": "\(connection)", "twitch.login": "\(login)"])
        case .disconnected(let connection, let reason):
            self.logger.info("chat disconnected", metadata: ["twitch.connection": "\(connection)", "twitch.reason": "\(reason)"])
        case .joined(let channel):
            self.logger.debug("chat channel joined", metadata: ["twitch.channel": "\(channel)"])
        case .parted(let channel):
            self.logger.debug("chat channel parted", metadata: ["twitch.channel": "\(channel)"])
        case .joinFailed(let channel, let reason):
            self.logger.warning("chat channel join failed", metadata: ["twitch.channel": "\(channel)", "twitch.reason": "\(reason)"])
        case .loginFailed(let reason, let retryAfter):
            self.logger.error("chat login failed", metadata: ["twitch.reason": "\(reason)", "twitch.retry_in": "\(retryAfter)"])
        }
    }
}
