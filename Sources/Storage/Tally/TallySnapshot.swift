public import Core

/// A consistent read of a poll's counts: totals per option, per channel, and the version they belong to.
public struct TallySnapshot: Sendable, Hashable {
    /// The poll.
    public let pollID: String
    /// Votes per option over every channel.
    public let votes: [Int]
    /// Votes per option for each channel login of the poll (zeros for a channel without votes).
    public let channels: [String: [Int]]
    /// Increases with every change; events carry it so clients never go back to older numbers.
    public let version: Int

    /// Creates a snapshot.
    public init(pollID: String, votes: [Int], channels: [String: [Int]], version: Int) {
        self.pollID = pollID
        self.votes = votes
        self.channels = channels
        self.version = version
    }

    /// Totals, percentages and winners of the aggregated counts.
    public var summary: TallySummary { TallySummary(votes: self.votes) }
}
