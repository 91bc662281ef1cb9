/// `CLEARCHAT`: a ban, a timeout, or the whole chat cleared (IRC-G12).
public struct ClearChat: Sendable, Hashable {
    /// Channel login, without `#`.
    public let channel: String
    /// `room-id`, empty when absent.
    public let roomID: String
    /// `target-user-id`: the banned or timed-out user; nil when the whole chat was cleared.
    public let targetUserID: String?
    /// The target's login (trailing parameter); nil when the whole chat was cleared.
    public let targetLogin: String?
    /// `ban-duration` in seconds for a timeout; nil for a permanent ban or a chat clear.
    public let banDurationSeconds: Int?
    /// `tmi-sent-ts` in milliseconds since 1970, nil when absent.
    public let sentAtMilliseconds: Int64?

    /// Whether the whole chat was cleared (no target user).
    public var isWholeChat: Bool { targetUserID == nil && targetLogin == nil }

    /// Whether a user was banned permanently.
    public var isPermanentBan: Bool { !isWholeChat && banDurationSeconds == nil }

    /// Creates the event.
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - roomID: Channel id.
    ///   - targetUserID: Target user id, nil for a chat clear.
    ///   - targetLogin: Target login, nil for a chat clear.
    ///   - banDurationSeconds: Timeout length, nil for a ban or clear.
    ///   - sentAtMilliseconds: Server timestamp.
    public init(
        channel: String,
        roomID: String,
        targetUserID: String?,
        targetLogin: String?,
        banDurationSeconds: Int?,
        sentAtMilliseconds: Int64?
    ) {
        self.channel = channel
        self.roomID = roomID
        self.targetUserID = targetUserID
        self.targetLogin = targetLogin
        self.banDurationSeconds = banDurationSeconds
        self.sentAtMilliseconds = sentAtMilliseconds
    }

    /// Builds the event from a `CLEARCHAT` line; nil without a channel.
    init?(_ line: RawLine) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues("room-id", "target-user-id", "ban-duration", "tmi-sent-ts")
        let login = line.textAfterChannel()
        self.init(
            channel: channel,
            roomID: line.string(tags[0]) ?? "",
            targetUserID: line.nonEmptyString(tags[1]),
            targetLogin: (login?.isEmpty ?? true) ? nil : login,
            banDurationSeconds: line.integer(tags[2]).flatMap { Int(exactly: $0) },
            sentAtMilliseconds: line.integer(tags[3])
        )
    }
}
