/// The event of a notification, typed where the daemon acts on it.
public enum EventSubEvent: Sendable, Hashable {
    /// `channel.poll.begin` (SUB-1).
    case pollBegin(PollEvent)
    /// `channel.poll.progress` (SUB-2).
    case pollProgress(PollEvent)
    /// `channel.poll.end` (SUB-3).
    case pollEnd(PollEvent)
    /// Any other subscription type, kept by name and otherwise ignored (ES-15).
    case other(type: String)
}
