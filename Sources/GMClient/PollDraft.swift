/// The body of `POST /api/v1/polls`; absent optional fields are left out so the daemon's defaults apply.
public struct PollDraft: Encodable, Sendable, Equatable {
    /// The question, 1 to 60 characters.
    public var title: String
    /// 2 to 5 option labels, 1 to 25 characters each.
    public var options: [String]
    /// The voting window, 15 to 1800 seconds (daemon default 60).
    public var durationSeconds: Int?
    /// The channel logins to run the poll in.
    public var channels: [String]
    /// `auto`, `chat` or `native` (daemon default `auto`).
    public var mode: String?
    /// `unique` or `standard` (daemon default `unique`).
    public var voteRule: String?

    /// Creates a draft.
    /// - Parameters:
    ///   - title: the question.
    ///   - options: the option labels.
    ///   - durationSeconds: the voting window, or nil for the default.
    ///   - channels: the channel logins.
    ///   - mode: the mode, or nil for the default.
    ///   - voteRule: the vote rule, or nil for the default.
    public init(title: String, options: [String], durationSeconds: Int? = nil, channels: [String], mode: String? = nil, voteRule: String? = nil) {
        self.title = title
        self.options = options
        self.durationSeconds = durationSeconds
        self.channels = channels
        self.mode = mode
        self.voteRule = voteRule
    }
}
