/// A poll's counts: per option, in total, per channel, with the API's percentages and winners.
public struct Tally: Decodable, Sendable, Equatable {
    /// Votes per option, in option order.
    public let votes: [Int]
    /// All votes.
    public let totalVotes: Int
    /// Share of the votes per option, in percent with one decimal; empty when the API sent none.
    public let percentages: [Double]
    /// The 0-based indexes of the options with the most votes; several on a tie, none without votes.
    public let winners: [Int]
    /// Counts per channel login.
    public let channels: [String: ChannelTally]

    /// Creates a tally.
    /// - Parameters:
    ///   - votes: votes per option.
    ///   - totalVotes: all votes.
    ///   - percentages: percent per option.
    ///   - winners: 0-based indexes of the leading options.
    ///   - channels: counts per channel.
    public init(votes: [Int], totalVotes: Int, percentages: [Double] = [], winners: [Int] = [], channels: [String: ChannelTally] = [:]) {
        self.votes = votes
        self.totalVotes = totalVotes
        self.percentages = percentages
        self.winners = winners
        self.channels = channels
    }

    private enum CodingKeys: String, CodingKey {
        case votes, totalVotes, percentages, winners, channels
    }

    /// Decodes a tally; `votes` and `totalVotes` are required, the rest defaults to empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.votes = try container.decode([Int].self, forKey: .votes)
        self.totalVotes = try container.decode(Int.self, forKey: .totalVotes)
        self.percentages = try container.decodeIfPresent([Double].self, forKey: .percentages) ?? []
        self.winners = try container.decodeIfPresent([Int].self, forKey: .winners) ?? []
        self.channels = try container.decodeIfPresent([String: ChannelTally].self, forKey: .channels) ?? [:]
    }
}
