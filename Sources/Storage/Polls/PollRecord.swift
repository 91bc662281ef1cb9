public import Core
public import Foundation

/// A poll as stored in `polls` with its `poll_channels` rows.
public struct PollRecord: Sendable, Hashable {
    /// The poll id.
    public let id: UUID
    /// The question.
    public let title: String
    /// The answers, in order.
    public let options: [String]
    /// The planned length.
    public let durationSeconds: Int
    /// The mode the GM asked for.
    public let mode: PollMode
    /// How repeated votes count.
    public let voteRule: VoteRule
    /// Where the poll is in its lifecycle.
    public let status: PollStatus
    /// When voting opened.
    public let startedAt: Date
    /// When voting closes (moved to the end-now instant by an early end).
    public let endsAt: Date
    /// When the result was persisted; nil while running or ending.
    public let endedAt: Date?
    /// Final votes per option; nil until persisted.
    public let votes: [Int]?
    /// The tally version the final votes belong to; nil until persisted.
    public let tallyVersion: Int?
    /// Why the poll ended (`deadline`, `ended_early`, `cancelled`, `late`).
    public let endReason: String?
    /// The API key that started it.
    public let createdBy: UUID?
    /// Its channels, in the order the GM gave.
    public private(set) var channels: [PollChannelRecord]

    /// What the vote counter needs while the poll runs.
    public var running: RunningPoll {
        RunningPoll(
            id: self.id.uuidString.lowercased(),
            optionCount: self.options.count,
            channels: self.channels.map(\.login.value),
            nativeChannels: self.channels.filter { $0.mode == .native }.map(\.login.value),
            rule: self.voteRule,
            startedAt: self.startedAt.milliseconds,
            endsAt: self.endsAt.milliseconds
        )
    }

    /// The same poll once its native polls are created: channels in `nativePolls` (channel id → Twitch poll id) with
    /// their poll, channels in `fallbacks` (channel id → reason) voting in chat, as ``PollStore`` records both.
    public func withNativePolls(_ nativePolls: [UUID: String], fallbacks: [UUID: String]) -> PollRecord {
        var copy = self
        copy.channels = self.channels.map { channel in
            let fallback = fallbacks[channel.channelID]
            return PollChannelRecord(
                channelID: channel.channelID,
                login: channel.login,
                mode: fallback == nil ? channel.mode : .chat,
                status: channel.status,
                votes: channel.votes,
                twitchPollID: fallback == nil ? nativePolls[channel.channelID] ?? channel.twitchPollID : nil,
                nativeError: fallback ?? channel.nativeError
            )
        }
        return copy
    }

    /// The poll id as it appears in JSON, Redis keys and SSE ids.
    public var idString: String { self.id.uuidString.lowercased() }
}

/// One channel of a poll, as stored in `poll_channels`.
public struct PollChannelRecord: Sendable, Hashable {
    /// The channel row id.
    public let channelID: UUID
    /// The channel login.
    public let login: ChannelLogin
    /// How this channel collects votes.
    public let mode: ChannelVoteMode
    /// `running`, `ended` or `cancelled`.
    public let status: String
    /// Final votes per option in this channel; nil until persisted.
    public let votes: [Int]?
    /// The native Twitch poll collecting this channel's votes, once created.
    public let twitchPollID: String?
    /// Why this channel votes in chat although a native poll was wanted (creating it failed).
    public let nativeError: String?

    /// Creates the record.
    public init(
        channelID: UUID,
        login: ChannelLogin,
        mode: ChannelVoteMode,
        status: String,
        votes: [Int]?,
        twitchPollID: String? = nil,
        nativeError: String? = nil
    ) {
        self.channelID = channelID
        self.login = login
        self.mode = mode
        self.status = status
        self.votes = votes
        self.twitchPollID = twitchPollID
        self.nativeError = nativeError
    }
}

extension Date {
    /// Milliseconds since 1970, rounded.
    public var milliseconds: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }

    /// The instant `milliseconds` after 1970.
    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
