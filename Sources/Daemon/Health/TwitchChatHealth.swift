public import ChatBridge

/// The chat connections as `/health` shows them under `services.twitchChat`.
public struct TwitchChatHealth: Sendable, Equatable {
    /// Open, logged-in connections.
    public var connections: Int
    /// Channels whose JOIN is confirmed.
    public var joinedChannels: Int
    /// Channels the daemon wants to read.
    public var wantedChannels: Int
    /// Channels Twitch reports as suspended.
    public var suspendedChannels: Int

    /// Reads a pool status.
    public init(_ status: ChatPoolStatus) {
        self.connections = status.connections
        self.joinedChannels = status.joinedChannels.count
        self.wantedChannels = status.wantedChannels.count
        self.suspendedChannels = status.suspendedChannels.count
    }

    /// Whether every wanted channel is read (trivially true when none is wanted).
    public var isHealthy: Bool { self.joinedChannels + self.suspendedChannels >= self.wantedChannels }

    /// The JSON object of `/health`.
    var json: [String: Any] {
        [
            "status": self.isHealthy ? "ok" : "degraded",
            "connections": self.connections,
            "joinedChannels": self.joinedChannels,
            "wantedChannels": self.wantedChannels,
            "suspendedChannels": self.suspendedChannels,
        ]
    }
}
