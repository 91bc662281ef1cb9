public import Core
import Synchronization

/// Which poll each channel is voting in right now, and the room id of each channel seen in chat.
///
/// Read on every chat message, so it is a lock-protected dictionary rather than an actor hop.
public final class PollRegistry: Sendable {
    private struct State {
        var polls: [String: RunningPoll] = [:]
        var byChannel: [String: String] = [:]
        var channelByRoom: [String: String] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// Starts routing the poll's channels' votes to it (replacing an earlier registration of the same poll).
    public func register(_ poll: RunningPoll) {
        self.state.withLock { state in
            if let previous = state.polls[poll.id] {
                for channel in previous.channels where state.byChannel[channel] == poll.id { state.byChannel[channel] = nil }
            }
            state.polls[poll.id] = poll
            // A channel running a native Twitch poll counts its own votes there; its chat commands are ignored.
            for channel in poll.chatChannels { state.byChannel[channel] = poll.id }
        }
    }

    /// Stops routing votes to the poll.
    public func unregister(pollID: String) {
        self.state.withLock { state in
            guard let poll = state.polls.removeValue(forKey: pollID) else { return }
            for channel in poll.channels where state.byChannel[channel] == pollID { state.byChannel[channel] = nil }
        }
    }

    /// The poll the channel votes in, if any.
    public func poll(forChannel channel: String) -> RunningPoll? {
        self.state.withLock { state in state.byChannel[channel].flatMap { state.polls[$0] } }
    }

    /// Every registered poll.
    public var polls: [RunningPoll] { self.state.withLock { Array($0.polls.values) } }

    /// Remembers that `roomID` is `channel` (from ROOMSTATE or any message's `room-id`).
    public func learnRoom(_ roomID: String, channel: String) {
        guard !roomID.isEmpty else { return }
        self.state.withLock { state in
            if state.channelByRoom[roomID] != channel { state.channelByRoom[roomID] = channel }
        }
    }

    /// The channel login of a room id seen before.
    public func channel(forRoom roomID: String) -> String? {
        self.state.withLock { $0.channelByRoom[roomID] }
    }
}
