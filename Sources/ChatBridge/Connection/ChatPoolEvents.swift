import AsyncAlgorithms

/// The events of a `ChatConnectionPool`, handed out by `withEvents(_:)`; ends when the pool's `run()` returns.
///
/// Back-pressure: the pool's readers wait until each event is taken, so nothing is buffered without bound;
/// a consumer that stops iterating stops the reading (and, in time, Twitch drops the connection).
public struct ChatPoolEvents: AsyncSequence, Sendable {
    /// One event.
    public typealias Element = ChatPoolEvent
    /// Iteration never throws.
    public typealias Failure = Never

    /// The channel the pool sends into.
    let channel: AsyncChannel<ChatPoolEvent>

    /// Iterates the events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The wrapped iterator.
        var base: AsyncChannel<ChatPoolEvent>.Iterator

        /// The next event, nil once the pool stopped.
        public mutating func next() async -> ChatPoolEvent? {
            await base.next()
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: channel.makeAsyncIterator())
    }
}
