/// One chat message recognised as a vote, ready to be counted.
public struct Vote: Sendable, Hashable {
    /// The poll it is for.
    public var pollID: String
    /// The channel (login) the vote counts for: the Shared Chat source channel when that is in the poll.
    public var channel: String
    /// The voter's stable Twitch user id (logins can change).
    public var userID: String
    /// The chat message id (`id` tag).
    public var messageID: String
    /// The Shared Chat original message id (`source-id` tag), shared by every copy of one message.
    public var sourceMessageID: String?
    /// The zero-based option index.
    public var option: Int
    /// When Twitch received the message (`tmi-sent-ts`), in milliseconds since 1970.
    public var sentAt: Int64

    /// Creates a vote.
    public init(pollID: String, channel: String, userID: String, messageID: String, sourceMessageID: String? = nil, option: Int, sentAt: Int64) {
        self.pollID = pollID
        self.channel = channel
        self.userID = userID
        self.messageID = messageID
        self.sourceMessageID = sourceMessageID
        self.option = option
        self.sentAt = sentAt
    }

    /// The key that identifies one message across resends and Shared Chat copies.
    public var deduplicationKey: String { self.sourceMessageID ?? self.messageID }
}
