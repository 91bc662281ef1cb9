/// A Twitch user (`GET /helix/users`).
public struct HelixUser: Sendable, Equatable, Decodable {
    /// The user id.
    public var id: String
    /// The login.
    public var login: String
    /// The display name.
    public var displayName: String
    /// `""`, `affiliate` or `partner`.
    public var broadcasterType: String

    /// Creates a user.
    public init(id: String, login: String, displayName: String, broadcasterType: String) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.broadcasterType = broadcasterType
    }

    /// Whether the channel can run native polls (API-P3).
    public var canRunPolls: Bool { self.broadcasterType == "affiliate" || self.broadcasterType == "partner" }
}

/// A native poll as Helix returns it (API-P1, API-P5).
public struct HelixPoll: Sendable, Equatable, Decodable {
    /// One choice with its running counts.
    public struct Choice: Sendable, Equatable, Decodable {
        /// The choice id.
        public var id: String
        /// The label.
        public var title: String
        /// Votes of every kind, channel-points votes included (SUB-4).
        public var votes: Int?
        /// The extra votes bought with channel points (already inside `votes`).
        public var channelPointsVotes: Int?
    }

    /// The poll id.
    public var id: String
    /// The broadcaster.
    public var broadcasterId: String
    /// The question.
    public var title: String
    /// The choices, in order.
    public var choices: [Choice]
    /// `ACTIVE`, `COMPLETED`, `TERMINATED`, `ARCHIVED`, `MODERATED` or `INVALID`.
    public var status: String
    /// The length in seconds.
    public var duration: Int

    /// Whether it still takes votes.
    public var isActive: Bool { self.status == "ACTIVE" }
}

/// An EventSub subscription (API-E1, API-E2).
public struct HelixSubscription: Sendable, Equatable, Decodable {
    /// Where it delivers.
    public struct Transport: Sendable, Equatable, Decodable {
        /// `websocket` or `webhook`.
        public var method: String
        /// The WebSocket session, for `websocket`.
        public var sessionId: String?
        /// The callback, for `webhook`.
        public var callback: String?
    }

    /// The subscription id.
    public var id: String
    /// `enabled`, `webhook_callback_verification_pending`, `websocket_disconnected` …
    public var status: String
    /// The type, e.g. `channel.poll.progress`.
    public var type: String
    /// The version.
    public var version: String
    /// The condition, e.g. `broadcaster_user_id`.
    public var condition: [String: String]
    /// Where it delivers.
    public var transport: Transport
}

/// Where a new subscription delivers.
public enum HelixTransport: Sendable, Equatable {
    /// A WebSocket session (user token, ES-12).
    case websocket(sessionID: String)
    /// A webhook callback with its HMAC secret (app token).
    case webhook(callback: String, secret: String)
}

/// `{ "data": [...], "pagination": {"cursor": …} }`, the envelope of most Helix answers.
struct HelixData<Element: Decodable>: Decodable {
    /// `pagination`, when the answer has more pages.
    struct Pagination: Decodable {
        /// Where the next page starts.
        var cursor: String?
    }

    /// The page's elements.
    var data: [Element]
    /// Where the next page starts, if anywhere.
    var pagination: Pagination?
}
