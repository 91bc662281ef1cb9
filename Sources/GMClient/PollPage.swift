/// One page of `GET /api/v1/polls`: the polls, newest first, and the cursor of the next page.
public struct PollPage: Decodable, Sendable, Equatable {
    /// The polls of this page.
    public let polls: [Poll]
    /// The opaque cursor of the next page; nil on the last one.
    public let nextCursor: String?

    /// Creates a page.
    /// - Parameters:
    ///   - polls: the polls.
    ///   - nextCursor: the next page's cursor.
    public init(polls: [Poll], nextCursor: String?) {
        self.polls = polls
        self.nextCursor = nextCursor
    }
}
