import Core
import Foundation
import Storage

/// The poll JSON of DESIGN §4: `{"id","title","options","channels","voteRule","status","startedAt","endsAt","endedAt","tally",…}`.
struct PollJSON: Encodable {
    struct Channel: Encodable {
        let login: String
        let mode: String
        let status: String
        /// Why the channel votes in chat although a native poll was wanted; null otherwise.
        let nativeError: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.login, forKey: .login)
            try container.encode(self.mode, forKey: .mode)
            try container.encode(self.status, forKey: .status)
            try container.encode(self.nativeError, forKey: .nativeError)
        }

        private enum CodingKeys: String, CodingKey {
            case login, mode, status, nativeError
        }
    }

    let id: String
    let title: String
    let options: [String]
    let durationSeconds: Int
    let mode: String
    let voteRule: String
    let channels: [Channel]
    let status: String
    let startedAt: String
    let endsAt: String
    let endedAt: String?
    let tally: TallyJSON

    init(_ view: PollView) {
        let record = view.record
        self.id = record.idString
        self.title = record.title
        self.options = record.options
        self.durationSeconds = record.durationSeconds
        self.mode = record.mode.rawValue
        self.voteRule = record.voteRule.rawValue
        let isFinal = view.status.isFinal
        self.channels = record.channels.map {
            Channel(login: $0.login.value, mode: $0.mode.rawValue, status: isFinal ? $0.status : "running", nativeError: $0.nativeError)
        }
        self.status = view.status.rawValue
        self.startedAt = JSONCoding.timestamp(record.startedAt)
        self.endsAt = JSONCoding.timestamp(view.endsAt)
        self.endedAt = record.endedAt.map(JSONCoding.timestamp)
        self.tally = TallyJSON(view)
    }

    /// `endedAt` is always present, as null while the poll runs.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.title, forKey: .title)
        try container.encode(self.options, forKey: .options)
        try container.encode(self.durationSeconds, forKey: .durationSeconds)
        try container.encode(self.mode, forKey: .mode)
        try container.encode(self.voteRule, forKey: .voteRule)
        try container.encode(self.channels, forKey: .channels)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.startedAt, forKey: .startedAt)
        try container.encode(self.endsAt, forKey: .endsAt)
        try container.encode(self.endedAt, forKey: .endedAt)
        try container.encode(self.tally, forKey: .tally)
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, options, durationSeconds, mode, voteRule, channels, status, startedAt, endsAt, endedAt, tally
    }
}

/// The tally JSON: totals, percentages and winners from Core, per-channel counts and the version.
struct TallyJSON: Encodable {
    struct Channel: Encodable {
        let votes: [Int]
        let totalVotes: Int
    }

    let votes: [Int]
    let totalVotes: Int
    let percentages: [Double]
    let winners: [Int]
    let channels: [String: Channel]
    let version: Int

    init(_ view: PollView) {
        let summary = view.summary
        self.votes = summary.votes
        self.totalVotes = summary.totalVotes
        self.percentages = summary.percentages
        self.winners = summary.winners
        self.channels = view.channelVotes.mapValues { Channel(votes: $0, totalVotes: $0.reduce(0) { $0 + max(0, $1) }) }
        self.version = view.version
    }
}

/// The channel JSON: login, names, whether a Twitch account is connected, and the overlay URL.
struct ChannelJSON: Encodable {
    let login: String
    let displayName: String?
    let twitchUserId: String?
    let connected: Bool
    let broadcasterType: String
    let needsReauth: Bool
    let overlayUrl: String?
    let createdAt: String

    init(_ channel: ChannelRecord, baseURL: String) {
        self.login = channel.login.value
        self.displayName = channel.displayName
        self.twitchUserId = channel.twitchUserID
        self.connected = channel.isConnected
        self.broadcasterType = channel.broadcasterType
        self.needsReauth = channel.needsReauth
        self.overlayUrl = channel.overlayToken.isEmpty ? nil : "\(baseURL)/overlay/\(channel.overlayToken)"
        self.createdAt = JSONCoding.timestamp(channel.createdAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.login, forKey: .login)
        try container.encode(self.displayName, forKey: .displayName)
        try container.encode(self.twitchUserId, forKey: .twitchUserId)
        try container.encode(self.connected, forKey: .connected)
        try container.encode(self.broadcasterType, forKey: .broadcasterType)
        try container.encode(self.needsReauth, forKey: .needsReauth)
        try container.encode(self.overlayUrl, forKey: .overlayUrl)
        try container.encode(self.createdAt, forKey: .createdAt)
    }

    private enum CodingKeys: String, CodingKey {
        case login, displayName, twitchUserId, connected, broadcasterType, needsReauth, overlayUrl, createdAt
    }
}
