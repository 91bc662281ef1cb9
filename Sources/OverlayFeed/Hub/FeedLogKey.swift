/// Metadata keys of the feed hub's logs, dotted and prefixed with `feed.` (house rule 17).
enum FeedLogKey {
    /// A poll id.
    static let pollID = "feed.poll_id"
    /// A topic. Topics must not be secrets (the daemon uses channel or poll ids, never overlay tokens).
    static let topic = "feed.topic"
    /// A client's number within the hub.
    static let client = "feed.client"
    /// Why a client was dropped.
    static let reason = "feed.reason"
    /// An error's description.
    static let error = "feed.error"
    /// A number of clients.
    static let clients = "feed.clients"
    /// A number of events waiting for a client.
    static let pending = "feed.pending"
}
