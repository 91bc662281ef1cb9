public import Core

/// One change to a poll's tally, applied in the order it happened in chat.
public enum TallyChange: Sendable, Hashable {
    /// A vote to count.
    case vote(Vote)
    /// A moderator deleted a message (CLEARMSG): its vote no longer counts.
    case removeMessage(pollID: String, messageID: String)
    /// A moderator banned or timed out a user (CLEARCHAT): their votes no longer count.
    case removeUser(pollID: String, userID: String)
}
