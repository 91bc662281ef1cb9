/// A snapshot of `ChatConnectionPool` for health checks.
public struct ChatPoolStatus: Sendable, Hashable {
    /// Logged-in connections (including one being replaced after a RECONNECT).
    public let connections: Int
    /// Wanted channels whose JOIN is confirmed on some connection.
    public let joinedChannels: Set<String>
    /// Channels the pool is asked to be in.
    public let wantedChannels: Set<String>
    /// Wanted channels that failed as suspended and wait for a retry.
    public let suspendedChannels: Set<String>

    /// Creates a status.
    /// - Parameters:
    ///   - connections: Logged-in connections.
    ///   - joinedChannels: Confirmed channels.
    ///   - wantedChannels: Wanted channels.
    ///   - suspendedChannels: Suspended channels.
    public init(connections: Int, joinedChannels: Set<String>, wantedChannels: Set<String>, suspendedChannels: Set<String>) {
        self.connections = connections
        self.joinedChannels = joinedChannels
        self.wantedChannels = wantedChannels
        self.suspendedChannels = suspendedChannels
    }

    /// Whether every wanted channel that is not suspended is joined.
    public var isFullyJoined: Bool {
        wantedChannels.subtracting(suspendedChannels).isSubset(of: joinedChannels)
    }
}
