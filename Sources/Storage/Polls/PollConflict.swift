public import Core
public import Foundation

/// A poll cannot start because some of its channels are already in a running poll.
public struct PollConflict: Error, Sendable, Hashable {
    /// The running poll.
    public let pollID: UUID
    /// The channels it shares with the new one.
    public let channels: [ChannelLogin]

    /// Creates the conflict.
    public init(pollID: UUID, channels: [ChannelLogin]) {
        self.pollID = pollID
        self.channels = channels
    }
}
