/// What `ChatConnectionPool` reports: chat lines by frame, and connection and channel life.
public enum ChatPoolEvent: Sendable, Hashable {
    /// Everything parsed from one WebSocket frame, in order (several lines per frame, IRC-T2).
    ///
    /// During a RECONNECT overlap and after a rejoin the same chat message can arrive twice; de-duplicate
    /// by its `id` tag downstream (IRC-T5, IRC-R2).
    case messages([ChatEvent])
    /// A connection logged in (`001`, IRC-L4).
    case connected(connection: Int, login: String)
    /// A connection ended; its channels are re-joined elsewhere when still wanted (IRC-J6).
    case disconnected(connection: Int, reason: ChatPoolError)
    /// A channel's JOIN was confirmed by the self-JOIN or ROOMSTATE (IRC-J1); again after each rejoin.
    case joined(channel: String)
    /// A channel was removed from the wanted set and parted.
    case parted(channel: String)
    /// A channel's JOIN failed (`joinTimedOut`, `channelSuspended`, `partedByServer`); it is retried with backoff.
    case joinFailed(channel: String, reason: ChatPoolError)
    /// A login failed or no token was available; the next attempt waits `retryAfter` (IRC-L5, IRC-L6).
    case loginFailed(reason: ChatPoolError, retryAfter: Duration)
}
