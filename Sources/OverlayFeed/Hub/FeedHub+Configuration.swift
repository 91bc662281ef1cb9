extension FeedHub {
    /// Tuning of the hub; the defaults follow DESIGN.md §3 ("Live feed") and §4 ("SSE").
    public struct Configuration: Sendable {
        /// The shortest time between two update calls of one poll. The first notice after a quiet period
        /// is read at once; notices within the interval after that wait until it has elapsed, then make
        /// one update call between them.
        public var coalesceInterval: Duration = .milliseconds(100)
        /// How often every stream gets the heartbeat (`: ping` and an `event: ping`), whether or not events flowed meanwhile.
        public var heartbeatInterval: Duration = .seconds(15)
        /// The reconnection delay in milliseconds, sent first on every stream as `retry:`.
        public var retry = 2000
        /// The most events a client may have pending; a `poll.tally` replaces a pending one of its poll
        /// instead of counting again. A client that would exceed it is dropped.
        public var clientBufferLimit = 16
        /// How long a client's oldest pending event (or heartbeat) may wait before the client is dropped.
        public var stallTimeout: Duration = .seconds(30)
        /// How long the coalescing state of a poll (the last version fanned out) is kept after its last
        /// update; late notices of a forgotten poll cost one more update call.
        public var pollRetention: Duration = .seconds(600)

        /// Creates the default configuration.
        public init() {}
    }
}
