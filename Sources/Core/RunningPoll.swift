/// What the vote counter needs to know about a running poll.
public struct RunningPoll: Sendable, Hashable, Codable {
    /// The poll id (a UUID string).
    public var id: String
    /// How many options it has.
    public var optionCount: Int
    /// The logins of its channels.
    public var channels: [String]
    /// The channels among `channels` that vote in a native Twitch poll: their chat commands are not counted.
    public var nativeChannels: [String] = []
    /// How repeated votes count.
    public var rule: VoteRule
    /// Votes sent before this instant (ms since 1970) are not counted.
    public var startedAt: Int64
    /// Votes sent after this instant (ms since 1970) are not counted.
    public var endsAt: Int64

    /// Creates the description of a running poll.
    public init(
        id: String,
        optionCount: Int,
        channels: [String],
        nativeChannels: [String] = [],
        rule: VoteRule,
        startedAt: Int64,
        endsAt: Int64
    ) {
        self.id = id
        self.optionCount = optionCount
        self.channels = channels
        self.nativeChannels = nativeChannels
        self.rule = rule
        self.startedAt = startedAt
        self.endsAt = endsAt
    }

    /// The channels whose chat commands count.
    public var chatChannels: [String] { self.channels.filter { !self.nativeChannels.contains($0) } }

    private enum CodingKeys: String, CodingKey {
        case id, optionCount, channels, nativeChannels, rule, startedAt, endsAt
    }

    /// Decodes a poll; `nativeChannels` may be absent (written before native polls existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.optionCount = try container.decode(Int.self, forKey: .optionCount)
        self.channels = try container.decode([String].self, forKey: .channels)
        self.nativeChannels = try container.decodeIfPresent([String].self, forKey: .nativeChannels) ?? []
        self.rule = try container.decode(VoteRule.self, forKey: .rule)
        self.startedAt = try container.decode(Int64.self, forKey: .startedAt)
        self.endsAt = try container.decode(Int64.self, forKey: .endsAt)
    }
}
