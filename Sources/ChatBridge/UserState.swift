/// `USERSTATE`: the bot's own state in a channel, sent on join and after each message it sends (IRC-G10).
public struct UserState: Sendable, Hashable {
    /// Channel login, without `#`.
    public let channel: String
    /// `display-name`, unescaped.
    public let displayName: String
    /// `mod=1`: the bot is a moderator here (higher send limits, IRC-S3).
    public let isModerator: Bool
    /// `subscriber=1`.
    public let isSubscriber: Bool
    /// `id` of the message just sent, nil on the join `USERSTATE`.
    public let messageID: String?
    /// The `badges` tag as sent.
    public let rawBadges: String

    /// The bot's badges in this channel.
    public var badges: [ChatBadge] { ChatBadge.parseList(rawBadges) }

    /// Whether the bot is a moderator, VIP or the broadcaster here (privileged send limits, IRC-S3).
    public var isPrivileged: Bool {
        isModerator || badges.contains { $0.set == "vip" || $0.set == "broadcaster" || $0.set == "moderator" }
    }

    /// Creates a user state.
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - displayName: Bot display name.
    ///   - isModerator: `mod=1`.
    ///   - isSubscriber: `subscriber=1`.
    ///   - messageID: Id of the message just sent.
    ///   - rawBadges: The `badges` tag.
    public init(
        channel: String,
        displayName: String,
        isModerator: Bool,
        isSubscriber: Bool,
        messageID: String?,
        rawBadges: String
    ) {
        self.channel = channel
        self.displayName = displayName
        self.isModerator = isModerator
        self.isSubscriber = isSubscriber
        self.messageID = messageID
        self.rawBadges = rawBadges
    }

    /// Builds the state from a `USERSTATE` line; nil without a channel.
    init?(_ line: RawLine) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues("display-name", "mod", "subscriber", "id", "badges")
        self.init(
            channel: channel,
            displayName: line.string(tags[0]) ?? "",
            isModerator: line.flag(tags[1]),
            isSubscriber: line.flag(tags[2]),
            messageID: line.nonEmptyString(tags[3]),
            rawBadges: line.string(tags[4]) ?? ""
        )
    }
}
