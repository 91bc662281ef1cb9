#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A `channel.poll.begin`, `channel.poll.progress` or `channel.poll.end` event (SUB-1, SUB-2, SUB-3).
///
/// Vote counts are running totals: a later event replaces an earlier one, never adds to it (SUB-2). `votes`
/// already includes the channel-points votes, and Bits voting is gone (SUB-4), so `votes` is the only count used.
public struct PollEvent: Sendable, Hashable, Decodable {
    /// One answer of the poll.
    public struct Choice: Sendable, Hashable, Decodable {
        /// Twitch's id of the choice.
        public var id: String
        /// The answer text.
        public var title: String
        /// All votes for it so far, channel-points votes included; nil in `channel.poll.begin`.
        public var votes: Int?
        /// The channel-points votes among `votes` (informational only: never add them to `votes`).
        public var channelPointsVotes: Int?

        /// Creates a choice.
        public init(id: String, title: String, votes: Int? = nil, channelPointsVotes: Int? = nil) {
            self.id = id
            self.title = title
            self.votes = votes
            self.channelPointsVotes = channelPointsVotes
        }

        private enum CodingKeys: String, CodingKey {
            case id, title, votes
            case channelPointsVotes = "channel_points_votes"
        }
    }

    /// Twitch's poll id.
    public var id: String
    /// The broadcaster's user id.
    public var broadcasterUserID: String
    /// The broadcaster's login.
    public var broadcasterUserLogin: String
    /// The poll's title.
    public var title: String
    /// The answers, in order.
    public var choices: [Choice]
    /// When it started.
    public var startedAt: TwitchTimestamp
    /// When it is due to end (begin and progress only).
    public var endsAt: TwitchTimestamp?
    /// When it ended (end only).
    public var endedAt: TwitchTimestamp?
    /// `completed`, `archived` or `terminated` (end only).
    public var status: String?

    /// The vote counts in choice order; zeros where Twitch gave none.
    public var votes: [Int] { self.choices.map { max(0, $0.votes ?? 0) } }

    /// Creates an event.
    public init(
        id: String,
        broadcasterUserID: String,
        broadcasterUserLogin: String,
        title: String,
        choices: [Choice],
        startedAt: TwitchTimestamp,
        endsAt: TwitchTimestamp? = nil,
        endedAt: TwitchTimestamp? = nil,
        status: String? = nil
    ) {
        self.id = id
        self.broadcasterUserID = broadcasterUserID
        self.broadcasterUserLogin = broadcasterUserLogin
        self.title = title
        self.choices = choices
        self.startedAt = startedAt
        self.endsAt = endsAt
        self.endedAt = endedAt
        self.status = status
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, choices, status
        case broadcasterUserID = "broadcaster_user_id"
        case broadcasterUserLogin = "broadcaster_user_login"
        case startedAt = "started_at"
        case endsAt = "ends_at"
        case endedAt = "ended_at"
    }
}
