public import ChatBridge
public import ServiceLifecycle

/// Runs the chat connection pool and feeds every frame's events to the vote pipeline.
///
/// Consuming the pool's events here applies back-pressure to the sockets: the pipeline only parses and queues,
/// so a frame is handled in microseconds and the sockets are read as fast as Twitch sends.
public struct ChatIngestService: Service {
    private let pool: ChatConnectionPool
    private let pipeline: ChatVotePipeline

    /// Creates the service.
    public init(pool: ChatConnectionPool, pipeline: ChatVotePipeline) {
        self.pool = pool
        self.pipeline = pipeline
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
        // The pool logs its own lifecycle (connections, joins, login failures); only chat lines matter here.
        if case .messages(let events) = event {
            self.pipeline.handle(events)
        }
    }
}
