/// `ROOMSTATE`: a channel's chat settings; full on join, partial (changed tags only) later (IRC-G11).
///
/// Settings are nil when the tag was not sent, so a partial update can be merged with `merged(into:)`.
public struct RoomState: Sendable, Hashable {
    /// Channel login, without `#`.
    public let channel: String
    /// `room-id`, empty when absent.
    public let roomID: String
    /// `emote-only`.
    public let emoteOnly: Bool?
    /// `followers-only` in minutes; `-1` means off.
    public let followersOnlyMinutes: Int?
    /// `r9k` (unique chat).
    public let uniqueChat: Bool?
    /// `slow` in seconds; `0` means off.
    public let slowSeconds: Int?
    /// `subs-only`.
    public let subscribersOnly: Bool?

    /// Creates a room state.
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - roomID: Channel id.
    ///   - emoteOnly: Emote-only mode.
    ///   - followersOnlyMinutes: Followers-only minutes, -1 off.
    ///   - uniqueChat: r9k mode.
    ///   - slowSeconds: Slow mode seconds.
    ///   - subscribersOnly: Subscribers-only mode.
    public init(
        channel: String,
        roomID: String,
        emoteOnly: Bool? = nil,
        followersOnlyMinutes: Int? = nil,
        uniqueChat: Bool? = nil,
        slowSeconds: Int? = nil,
        subscribersOnly: Bool? = nil
    ) {
        self.channel = channel
        self.roomID = roomID
        self.emoteOnly = emoteOnly
        self.followersOnlyMinutes = followersOnlyMinutes
        self.uniqueChat = uniqueChat
        self.slowSeconds = slowSeconds
        self.subscribersOnly = subscribersOnly
    }

    /// This update applied on top of `previous`: settings sent here win, the others are kept.
    /// - Parameter previous: The state known so far for the same channel.
    public func merged(into previous: RoomState) -> RoomState {
        RoomState(
            channel: channel,
            roomID: roomID.isEmpty ? previous.roomID : roomID,
            emoteOnly: emoteOnly ?? previous.emoteOnly,
            followersOnlyMinutes: followersOnlyMinutes ?? previous.followersOnlyMinutes,
            uniqueChat: uniqueChat ?? previous.uniqueChat,
            slowSeconds: slowSeconds ?? previous.slowSeconds,
            subscribersOnly: subscribersOnly ?? previous.subscribersOnly
        )
    }

    /// Builds the state from a `ROOMSTATE` line; nil without a channel.
    init?(_ line: RawLine) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues("room-id", "emote-only", "followers-only", "r9k", "slow", "subs-only")
        self.init(
            channel: channel,
            roomID: line.string(tags[0]) ?? "",
            emoteOnly: line.optionalFlag(tags[1]),
            followersOnlyMinutes: line.integer(tags[2]).flatMap { Int(exactly: $0) },
            uniqueChat: line.optionalFlag(tags[3]),
            slowSeconds: line.integer(tags[4]).flatMap { Int(exactly: $0) },
            subscribersOnly: line.optionalFlag(tags[5])
        )
    }
}
