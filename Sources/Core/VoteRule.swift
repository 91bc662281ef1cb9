/// How repeated votes of one viewer count in a poll.
public enum VoteRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// One vote per Twitch user across every channel of the poll; a newer vote moves it.
    case unique
    /// Every distinct chat message that is a vote counts.
    case standard
}
