/// The message a chat message replies to (`reply-parent-*` tags, IRC-G7, IRC-G8).
public struct ChatReplyParent: Sendable, Hashable {
    /// `reply-parent-msg-id`: id of the message replied to.
    public let messageID: String
    /// `reply-parent-user-id`: its author's user id (empty when absent).
    public let userID: String
    /// `reply-parent-user-login`: its author's login (empty when absent).
    public let login: String
    /// `reply-parent-display-name`: its author's display name, unescaped (empty when absent).
    public let displayName: String
    /// `reply-parent-msg-body`: its text, unescaped (empty when absent).
    public let body: String
    /// `reply-thread-parent-msg-id`: the top message of the thread, nil when absent.
    public let threadMessageID: String?

    /// Creates a reply parent.
    /// - Parameters:
    ///   - messageID: Parent message id.
    ///   - userID: Parent author's user id.
    ///   - login: Parent author's login.
    ///   - displayName: Parent author's display name.
    ///   - body: Parent text.
    ///   - threadMessageID: Thread root message id.
    public init(
        messageID: String,
        userID: String,
        login: String,
        displayName: String,
        body: String,
        threadMessageID: String? = nil
    ) {
        self.messageID = messageID
        self.userID = userID
        self.login = login
        self.displayName = displayName
        self.body = body
        self.threadMessageID = threadMessageID
    }
}
