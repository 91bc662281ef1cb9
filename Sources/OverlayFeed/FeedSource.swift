/// Where the ``FeedHub`` reads poll state; the daemon implements it over Redis and PostgreSQL.
///
/// Both methods are called from the hub's own tasks, never from an event loop, and may suspend. A thrown
/// error is logged and never stops the hub.
public protocol FeedSource: Sendable {
    /// The event a change notice of `pollID` turns into (normally `poll.tally` at the newest version) and the
    /// topics it goes to; nil to drop the notice.
    ///
    /// The hub calls it at most once per poll per coalescing interval and never twice at the same time for
    /// one poll, so it should read the newest state rather than the version named by the notice.
    func update(pollID: String) async throws -> FeedUpdate?

    /// What a client of `topic` sees first on connect or reconnect: the current snapshot (`poll.start` with
    /// the whole poll while it runs, `poll.end` after), or nil when the topic has nothing to show.
    func snapshot(topic: String) async throws -> FeedEvent?
}
