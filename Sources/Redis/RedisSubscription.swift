/// The messages of a subscription, in arrival order.
///
/// Iteration throws ``RedisError`` with code ``RedisError/Code/connectionClosed`` when the pub/sub
/// connection drops (or the consumer falls more than `subscriptionBufferSize` messages behind);
/// the caller subscribes again. It ends with `nil` when the subscribing task is cancelled.
public struct RedisSubscription: AsyncSequence, Sendable {
    /// A received message.
    public typealias Element = RedisPubSubMessage
    /// Iteration fails only with ``RedisError``.
    public typealias Failure = RedisError

    private let stream: AsyncThrowingStream<RedisPubSubMessage, any Error>

    /// Wraps the stream fed by the pub/sub connection.
    init(stream: AsyncThrowingStream<RedisPubSubMessage, any Error>) {
        self.stream = stream
    }

    /// Creates an iterator; a subscription is meant to be iterated once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.stream.makeAsyncIterator())
    }

    /// Iterator over a ``RedisSubscription``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// A received message.
        public typealias Element = RedisPubSubMessage
        /// Iteration fails only with ``RedisError``.
        public typealias Failure = RedisError

        private var base: AsyncThrowingStream<RedisPubSubMessage, any Error>.AsyncIterator

        fileprivate init(base: AsyncThrowingStream<RedisPubSubMessage, any Error>.AsyncIterator) {
            self.base = base
        }

        /// The next message; `nil` once cancelled; throws when the connection dropped.
        public mutating func next() async throws(RedisError) -> RedisPubSubMessage? {
            do {
                return try await self.base.next()
            } catch {
                throw RedisError(closedBy: error)
            }
        }

        /// The next message, keeping the caller's isolation.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RedisError) -> RedisPubSubMessage? {
            do {
                return try await self.base.next(isolation: actor)
            } catch {
                throw RedisError(closedBy: error)
            }
        }
    }
}
