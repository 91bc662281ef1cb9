/// What the vote counter needs to know about a running poll.
public struct RunningPoll: Sendable, Hashable, Codable {
    /// The poll id (a UUID string).
    public var id: String
    /// How many options it has.
    public var optionCount: Int
    /// The logins of its channels.
    public var channels: [String]
    /// How repeated votes count.
    public var rule: VoteRule
    /// Votes sent before this instant (ms since 1970) are not counted.
    public var startedAt: Int64
    /// Votes sent after this instant (ms since 1970) are not counted.
    public var endsAt: Int64

    /// Creates the description of a running poll.
    public init(id: String, optionCount: Int, channels: [String], rule: VoteRule, startedAt: Int64, endsAt: Int64) {
        self.id = id
        self.optionCount = optionCount
        self.channels = channels
        self.rule = rule
        self.startedAt = startedAt
        self.endsAt = endsAt
    }
}
