/// A poll as a GM asks for it, before validation: every field optional so each bad one can be reported.
public struct PollDraft: Sendable, Hashable, Codable {
    /// The question, 1 to 60 characters.
    public var title: String?
    /// 2 to 5 distinct answers of 1 to 25 characters.
    public var options: [String]?
    /// 15 to 1800 seconds (default 60).
    public var durationSeconds: Int?
    /// 1 to 100 distinct channel logins.
    public var channels: [String]?
    /// `auto`, `chat` or `native` (default `auto`).
    public var mode: String?
    /// `unique` or `standard` (default `unique`).
    public var voteRule: String?

    /// Creates a draft.
    public init(
        title: String? = nil,
        options: [String]? = nil,
        durationSeconds: Int? = nil,
        channels: [String]? = nil,
        mode: String? = nil,
        voteRule: String? = nil
    ) {
        self.title = title
        self.options = options
        self.durationSeconds = durationSeconds
        self.channels = channels
        self.mode = mode
        self.voteRule = voteRule
    }

    /// The limits a poll must respect.
    public enum Limits {
        /// Title length in characters.
        public static let title = 1...60
        /// Number of options.
        public static let optionCount = 2...5
        /// Option length in characters.
        public static let option = 1...25
        /// Duration in seconds.
        public static let duration = 15...1800
        /// Default duration in seconds.
        public static let defaultDuration = 60
        /// Number of channels.
        public static let channelCount = 1...100
    }

    /// Checks every field and returns the poll specification, or every problem found, keyed by field
    /// (`title`, `options`, `options[2]`, `durationSeconds`, `channels`, `channels[0]`, `mode`, `voteRule`).
    ///
    /// Titles and options are trimmed of surrounding white space; options are compared case-insensitively for duplicates.
    public func validated() -> Result<PollSpec, PollValidationError> {
        var problems: [String: String] = [:]

        let title = (self.title ?? "").trimmingWhitespace
        if self.title == nil {
            problems["title"] = "is required"
        } else if !Limits.title.contains(title.count) {
            problems["title"] = "must be \(Limits.title.lowerBound) to \(Limits.title.upperBound) characters (got \(title.count))"
        } else if title.hasControlCharacters {
            problems["title"] = "must not contain line breaks or control characters"
        }

        var options: [String] = []
        if let raw = self.options {
            if !Limits.optionCount.contains(raw.count) {
                problems["options"] = "must list \(Limits.optionCount.lowerBound) to \(Limits.optionCount.upperBound) options (got \(raw.count))"
            }
            var seen: [String: Int] = [:]
            for (index, text) in raw.enumerated() {
                let option = text.trimmingWhitespace
                options.append(option)
                if !Limits.option.contains(option.count) {
                    problems["options[\(index)]"] =
                        "must be \(Limits.option.lowerBound) to \(Limits.option.upperBound) characters (got \(option.count))"
                } else if option.hasControlCharacters {
                    problems["options[\(index)]"] = "must not contain line breaks or control characters"
                } else if let first = seen[option.lowercased()] {
                    problems["options[\(index)]"] = "repeats option \(first + 1)"
                } else {
                    seen[option.lowercased()] = index
                }
            }
        } else {
            problems["options"] = "is required"
        }

        let duration = self.durationSeconds ?? Limits.defaultDuration
        if !Limits.duration.contains(duration) {
            problems["durationSeconds"] = "must be \(Limits.duration.lowerBound) to \(Limits.duration.upperBound) seconds (got \(duration))"
        }

        var channels: [ChannelLogin] = []
        if let raw = self.channels {
            if !Limits.channelCount.contains(raw.count) {
                problems["channels"] =
                    "must list \(Limits.channelCount.lowerBound) to \(Limits.channelCount.upperBound) channels (got \(raw.count))"
            }
            var seen: Set<ChannelLogin> = []
            for (index, text) in raw.enumerated() {
                if let problem = ChannelLogin.problem(with: text) {
                    problems["channels[\(index)]"] = problem
                } else if let login = ChannelLogin(text), !seen.insert(login).inserted {
                    problems["channels[\(index)]"] = "repeats \(login)"
                } else if let login = ChannelLogin(text) {
                    channels.append(login)
                }
            }
        } else {
            problems["channels"] = "is required"
        }

        let mode = PollMode(rawValue: self.mode ?? PollMode.auto.rawValue)
        if mode == nil {
            problems["mode"] = "must be one of auto, chat, native"
        }
        let rule = VoteRule(rawValue: self.voteRule ?? VoteRule.unique.rawValue)
        if rule == nil {
            problems["voteRule"] = "must be one of unique, standard"
        }

        guard problems.isEmpty, let mode, let rule else { return .failure(PollValidationError(fields: problems)) }
        return .success(PollSpec(title: title, options: options, durationSeconds: duration, channels: channels, mode: mode, voteRule: rule))
    }
}

/// A valid poll request: what the lifecycle starts.
public struct PollSpec: Sendable, Hashable, Codable {
    /// The question.
    public let title: String
    /// The answers, in order (viewers vote `!1` for the first).
    public let options: [String]
    /// How long voting lasts.
    public let durationSeconds: Int
    /// The channels, in the order given.
    public let channels: [ChannelLogin]
    /// How votes are collected.
    public let mode: PollMode
    /// How repeated votes count.
    public let voteRule: VoteRule
}

/// Every field of a poll request that is not acceptable, with a message for each.
public struct PollValidationError: Error, Sendable, Hashable {
    /// Field path → problem.
    public let fields: [String: String]

    /// Creates the error.
    public init(fields: [String: String]) {
        self.fields = fields
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (Core avoids Foundation).
    var trimmingWhitespace: String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Whether any scalar is a control character (line breaks included), which chat and overlays cannot show.
    var hasControlCharacters: Bool {
        self.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
