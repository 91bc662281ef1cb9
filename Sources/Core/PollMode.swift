/// How a poll collects votes in a channel, as the GM asks for it.
public enum PollMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// A native Twitch poll where the channel can run one, chat commands elsewhere.
    case auto
    /// Chat commands (`!2`) in every channel.
    case chat
    /// Native Twitch polls in every channel (each needs a connected, eligible account).
    case native
}

/// How one channel of a poll collects votes.
public enum ChannelVoteMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Chat commands.
    case chat
    /// A native Twitch poll.
    case native
}
