/// `USERNOTICE`: subs, gifts, raids, announcements and other channel events (IRC-G14).
public struct UserNotice: Sendable, Hashable {
    /// Channel login, without `#`.
    public let channel: String
    /// `msg-id`: the kind of event (`sub`, `resub`, `raid`, `announcement`, ...); empty when absent.
    public let kind: String
    /// `room-id`, empty when absent.
    public let roomID: String
    /// `user-id` of the user the event is about, empty when absent.
    public let userID: String
    /// `login` of that user, empty when absent.
    public let login: String
    /// `display-name`, unescaped.
    public let displayName: String
    /// `id` of this notice.
    public let messageID: String
    /// `system-msg`, unescaped (may contain line breaks).
    public let systemMessage: String
    /// The user's own message attached to the event, ACTION-unwrapped; nil when none.
    public let text: String?
    /// `tmi-sent-ts` in milliseconds since 1970, nil when absent.
    public let sentAtMilliseconds: Int64?
    /// `source-id` in a Shared Chat session, nil outside one.
    public let sourceMessageID: String?
    /// `source-room-id` in a Shared Chat session, nil outside one.
    public let sourceRoomID: String?
    /// The parsed line, for the many `msg-param-*` tags.
    public let raw: IRCMessage

    /// Builds the notice from a `USERNOTICE` line; nil without a channel.
    init?(_ line: RawLine, raw: IRCMessage) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues(
            "msg-id",
            "room-id",
            "user-id",
            "login",
            "display-name",
            "id",
            "system-msg",
            "tmi-sent-ts",
            "source-id",
            "source-room-id"
        )
        self.channel = channel
        self.kind = line.string(tags[0]) ?? ""
        self.roomID = line.string(tags[1]) ?? ""
        self.userID = line.string(tags[2]) ?? ""
        self.login = line.string(tags[3]) ?? ""
        self.displayName = line.string(tags[4]) ?? ""
        self.messageID = line.string(tags[5]) ?? ""
        self.systemMessage = line.string(tags[6]) ?? ""
        if line.layout.paramCount >= 2 {
            let text = ChatMessage.unwrapAction(line).text
            self.text = line.bytes.string(from: text.lowerBound, to: text.upperBound)
        } else {
            self.text = nil
        }
        self.sentAtMilliseconds = line.integer(tags[7])
        self.sourceMessageID = line.nonEmptyString(tags[8])
        self.sourceRoomID = line.nonEmptyString(tags[9])
        self.raw = raw
    }
}
