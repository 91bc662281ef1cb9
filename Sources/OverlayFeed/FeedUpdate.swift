/// An event to fan out and the topics whose clients receive it, as ``FeedSource/update(pollID:)`` returns it.
public struct FeedUpdate: Sendable, Hashable {
    /// The event, usually `poll.tally` at the poll's newest version.
    public var event: FeedEvent
    /// The topics that receive it (for example the poll's own topic and one per channel overlay).
    public var topics: [String]

    /// Creates an update.
    /// - Parameters:
    ///   - event: The event to fan out.
    ///   - topics: The topics that receive it.
    public init(event: FeedEvent, topics: [String]) {
        self.event = event
        self.topics = topics
    }
}
