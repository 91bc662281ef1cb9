/// One event of a poll's feed, as the hub fans it out and a client receives it.
public struct FeedEvent: Sendable, Hashable {
    /// What happened to the poll; the raw value is the SSE `event:` name.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The poll started, or the snapshot of a running poll (`data: {"poll":…}`).
        case start = "poll.start"
        /// New counts of a running poll (`data: {"pollId",…tally}`).
        case tally = "poll.tally"
        /// The poll ended or was cancelled (`data: {"pollId","status","tally"}`); final.
        case end = "poll.end"
    }

    /// What happened.
    public var kind: Kind
    /// The poll the event belongs to.
    public var pollID: String
    /// The poll's tally version the event shows; versions of one poll only grow.
    public var version: Int
    /// The JSON text of the event, built by the daemon.
    public var data: String

    /// Creates an event.
    /// - Parameters:
    ///   - kind: What happened.
    ///   - pollID: The poll the event belongs to.
    ///   - version: The poll's tally version the event shows.
    ///   - data: The JSON payload.
    public init(kind: Kind, pollID: String, version: Int, data: String) {
        self.kind = kind
        self.pollID = pollID
        self.version = version
        self.data = data
    }

    /// The SSE id, `<pollId>:<version>`, which a reconnecting client sends back as `Last-Event-ID`.
    public var id: String { "\(self.pollID):\(self.version)" }

    /// The event as an SSE message: `event:` is the kind, `id:` is ``id``, `data:` is ``data``.
    public var serverSentEvent: ServerSentEvent {
        ServerSentEvent(event: self.kind.rawValue, id: self.id, data: self.data)
    }
}
