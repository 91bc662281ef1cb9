/// A poll as the GM API returns it; only the fields the CLI prints are decoded, the rest is ignored.
public struct Poll: Decodable, Sendable, Equatable {
    /// The poll id, a lowercase UUID.
    public let id: String
    /// The question.
    public let title: String
    /// The option labels; viewers vote `!1` for the first.
    public let options: [String]
    /// `running`, `ending`, `ended` or `cancelled` (kept as text so a new status still prints).
    public let status: String
    /// `unique` or `standard`, when present.
    public let voteRule: String?
    /// `auto`, `chat` or `native`, when present.
    public let mode: String?
    /// The voting window in seconds, when present.
    public let durationSeconds: Int?
    /// When voting opened, RFC 3339.
    public let startedAt: String?
    /// When voting closes (or closed), RFC 3339.
    public let endsAt: String?
    /// When the poll was ended or cancelled, RFC 3339; nil while running.
    public let endedAt: String?
    /// The channels the poll runs in.
    public let channels: [PollChannel]
    /// The live or final tally; nil when the answer had none.
    public let tally: Tally?

    /// Creates a poll.
    /// - Parameters:
    ///   - id: the poll id.
    ///   - title: the question.
    ///   - options: the option labels.
    ///   - status: the lifecycle status.
    ///   - voteRule: the vote rule.
    ///   - mode: the requested mode.
    ///   - durationSeconds: the voting window.
    ///   - startedAt: the start time.
    ///   - endsAt: the deadline.
    ///   - endedAt: the end time.
    ///   - channels: the channels.
    ///   - tally: the tally.
    public init(
        id: String,
        title: String,
        options: [String],
        status: String,
        voteRule: String? = nil,
        mode: String? = nil,
        durationSeconds: Int? = nil,
        startedAt: String? = nil,
        endsAt: String? = nil,
        endedAt: String? = nil,
        channels: [PollChannel] = [],
        tally: Tally? = nil
    ) {
        self.id = id
        self.title = title
        self.options = options
        self.status = status
        self.voteRule = voteRule
        self.mode = mode
        self.durationSeconds = durationSeconds
        self.startedAt = startedAt
        self.endsAt = endsAt
        self.endedAt = endedAt
        self.channels = channels
        self.tally = tally
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, options, status, voteRule, mode, durationSeconds, startedAt, endsAt, endedAt, channels, tally
    }

    /// Decodes a poll; only `id`, `title`, `options` and `status` are required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.title = try container.decode(String.self, forKey: .title)
        self.options = try container.decode([String].self, forKey: .options)
        self.status = try container.decode(String.self, forKey: .status)
        self.voteRule = try container.decodeIfPresent(String.self, forKey: .voteRule)
        self.mode = try container.decodeIfPresent(String.self, forKey: .mode)
        self.durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds)
        self.startedAt = try container.decodeIfPresent(String.self, forKey: .startedAt)
        self.endsAt = try container.decodeIfPresent(String.self, forKey: .endsAt)
        self.endedAt = try container.decodeIfPresent(String.self, forKey: .endedAt)
        self.channels = try container.decodeIfPresent([PollChannel].self, forKey: .channels) ?? []
        self.tally = try container.decodeIfPresent(Tally.self, forKey: .tally)
    }
}
