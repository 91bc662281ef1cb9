/// One channel's counts in a tally: `{"votes":[…],"totalVotes":int}`.
public struct ChannelTally: Decodable, Sendable, Equatable {
    /// Votes per option, in option order.
    public let votes: [Int]
    /// All votes read in this channel.
    public let totalVotes: Int

    /// Creates a channel tally.
    /// - Parameters:
    ///   - votes: votes per option.
    ///   - totalVotes: all votes in the channel.
    public init(votes: [Int], totalVotes: Int) {
        self.votes = votes
        self.totalVotes = totalVotes
    }
}
