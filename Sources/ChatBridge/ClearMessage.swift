/// `CLEARMSG`: one message was deleted (IRC-G12).
public struct ClearMessage: Sendable, Hashable {
    /// Channel login, without `#`.
    public let channel: String
    /// `target-msg-id`: id of the deleted message (empty when absent).
    public let targetMessageID: String
    /// `login`: the deleted message's author (empty when absent).
    public let login: String
    /// The deleted text (trailing parameter), ACTION wrapper kept as sent.
    public let text: String
    /// `room-id`; Twitch often sends it empty, then nil.
    public let roomID: String?
    /// `tmi-sent-ts` in milliseconds since 1970, nil when absent.
    public let sentAtMilliseconds: Int64?

    /// Creates the event.
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - targetMessageID: Deleted message id.
    ///   - login: Author login.
    ///   - text: Deleted text.
    ///   - roomID: Channel id if sent.
    ///   - sentAtMilliseconds: Server timestamp.
    public init(
        channel: String,
        targetMessageID: String,
        login: String,
        text: String,
        roomID: String?,
        sentAtMilliseconds: Int64?
    ) {
        self.channel = channel
        self.targetMessageID = targetMessageID
        self.login = login
        self.text = text
        self.roomID = roomID
        self.sentAtMilliseconds = sentAtMilliseconds
    }

    /// Builds the event from a `CLEARMSG` line; nil without a channel.
    init?(_ line: RawLine) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues("target-msg-id", "login", "room-id", "tmi-sent-ts")
        self.init(
            channel: channel,
            targetMessageID: line.string(tags[0]) ?? "",
            login: line.string(tags[1]) ?? "",
            text: line.textAfterChannel() ?? "",
            roomID: line.nonEmptyString(tags[2]),
            sentAtMilliseconds: line.integer(tags[3])
        )
    }
}
