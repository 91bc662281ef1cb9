public import NIOCore

/// One client's stream: encoded SSE bytes ready to write, starting with `retry:`, then the topic's snapshot,
/// then live events and heartbeats, until the hub drops or closes the client or shuts down.
///
/// Iterate it once. When the iterating loop ends, its task is cancelled, or the subscription is released
/// without being iterated, the client leaves the hub at once.
public struct FeedSubscription: AsyncSequence, Sendable {
    /// Encoded SSE messages, one per element.
    public typealias Element = ByteBuffer
    /// The stream never throws; it ends instead.
    public typealias Failure = Never

    /// The hub the client belongs to.
    let hub: FeedHub
    /// The client's number within the hub.
    let id: UInt64
    /// The client's topic.
    let topic: String
    /// Removes the client when the last copy of the subscription, and of its iterators, goes away.
    let lease: FeedLease

    /// Creates the subscription of client `id`.
    init(hub: FeedHub, id: UInt64, topic: String) {
        self.hub = hub
        self.id = id
        self.topic = topic
        self.lease = FeedLease(hub: hub, id: id)
    }

    /// Ends the stream now: the client leaves the hub, and a waiting or later `next()` returns nil. For a consumer
    /// that learns first that its peer is gone (the connection closed) or that the server is shutting down. Any
    /// thread, any number of times.
    public func finish() {
        self.hub.remove(self.id, reason: .consumerEnded)
    }

    /// Starts reading the stream.
    public func makeAsyncIterator() -> Iterator {
        Iterator(hub: self.hub, id: self.id, topic: self.topic, subscriptionLease: self.lease)
    }

    /// Reads a client's stream.
    public struct Iterator: AsyncIteratorProtocol {
        /// Where the stream is.
        private enum Phase {
            /// Nothing sent yet.
            case retry
            /// `retry:` sent; the snapshot comes next.
            case snapshot
            /// Live events.
            case live
            /// Finished.
            case done
        }

        /// The hub the client belongs to.
        private let hub: FeedHub
        /// The client's number within the hub.
        private let id: UInt64
        /// The client's topic.
        private let topic: String
        /// Keeps the subscription's lease alive while iterating (the sequence itself may be gone).
        private let subscriptionLease: FeedLease
        /// Removes the client when the iterator goes away, that is when the iterating loop ends.
        private let lease: FeedLease
        /// Where the stream is.
        private var phase = Phase.retry

        /// Creates the iterator of client `id`.
        init(hub: FeedHub, id: UInt64, topic: String, subscriptionLease: FeedLease) {
            self.hub = hub
            self.id = id
            self.topic = topic
            self.subscriptionLease = subscriptionLease
            self.lease = FeedLease(hub: hub, id: id)
        }

        /// The next encoded message, waiting for one when none is pending; nil once the stream has ended.
        public mutating func next() async -> ByteBuffer? {
            switch self.phase {
            case .retry:
                guard self.hub.isConnected(self.id) else { return self.end() }
                self.phase = .snapshot
                return self.hub.retryMessage
            case .snapshot:
                self.phase = .live
                guard await self.hub.readSnapshot(for: self.id, topic: self.topic) else { return self.end() }
                return await self.nextLive()
            case .live:
                return await self.nextLive()
            case .done:
                return nil
            }
        }

        /// The next live event or heartbeat.
        private mutating func nextLive() async -> ByteBuffer? {
            guard let delivery = await self.hub.take(self.id) else { return self.end() }
            return self.hub.encode(delivery)
        }

        /// Marks the stream finished.
        private mutating func end() -> ByteBuffer? {
            self.phase = .done
            return nil
        }
    }
}

/// Removes a client from its hub when released: the link between a stream's lifetime and the hub's memory.
final class FeedLease: Sendable {
    /// The hub.
    let hub: FeedHub
    /// The client's number.
    let id: UInt64

    /// Creates a lease on client `id`.
    init(hub: FeedHub, id: UInt64) {
        self.hub = hub
        self.id = id
    }

    deinit {
        self.hub.remove(self.id, reason: .consumerEnded)
    }
}
