/// `NOTICE`: the outcome of an action, or a connection-level message on channel `*` (IRC-G13, IRC-L5).
public struct ChatNotice: Sendable, Hashable {
    /// Channel login without `#`, or `*` for connection-level notices (login failures).
    public let channel: String
    /// `msg-id`: what to branch on (`msg_ratelimit`, `msg_banned`, ...); nil when absent (login notices).
    public let messageID: String?
    /// The human-readable text; never branch on it except for `isLoginFailure`.
    public let text: String
    /// `target-user-id`, nil when absent.
    public let targetUserID: String?

    /// Texts of login failures seen in the wild, lower-cased (IRC-L5).
    static let loginFailureTexts = [
        "login authentication failed",
        "improperly formatted auth",
        "login unsuccessful",
        "invalid nick",
        "error logging in",
    ]

    /// Whether this notice reports a failed login: no `msg-id` and one of the known texts, any case (IRC-L5).
    public var isLoginFailure: Bool {
        guard messageID == nil else { return false }
        let lowered = text.lowercased()
        return ChatNotice.loginFailureTexts.contains { lowered.contains($0) }
    }

    /// Creates a notice.
    /// - Parameters:
    ///   - channel: Channel login or `*`.
    ///   - messageID: The `msg-id` tag.
    ///   - text: The notice text.
    ///   - targetUserID: The `target-user-id` tag.
    public init(channel: String, messageID: String?, text: String, targetUserID: String? = nil) {
        self.channel = channel
        self.messageID = messageID
        self.text = text
        self.targetUserID = targetUserID
    }

    /// Builds the notice from a `NOTICE` line; nil without parameters.
    init?(_ line: RawLine) {
        guard let channel = line.channel() else { return nil }
        let tags = line.tagValues("msg-id", "target-user-id")
        self.init(
            channel: channel,
            messageID: line.nonEmptyString(tags[0]),
            text: line.textAfterChannel() ?? "",
            targetUserID: line.nonEmptyString(tags[1])
        )
    }
}
