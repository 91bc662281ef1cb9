extension IRCSimulator {
    /// One `JOIN` command as received, before any validation (for IRC-J3 rate and IRC-J6 rejoin tests).
    public struct JoinRecord: Sendable, Hashable {
        /// Monotonic time of receipt.
        public let instant: ContinuousClock.Instant
        /// Time of receipt since the simulator was created.
        public let sinceStart: Duration
        /// The connection that sent it.
        public let connectionID: Int
        /// The connection's login at that moment (nil before NICK).
        public let login: String?
        /// The channel logins in the command, in order, lower-cased, without `#`.
        public let channels: [String]
    }

    /// One live connection as the simulator sees it.
    public struct ConnectionInfo: Sendable, Hashable {
        /// The connection id (increasing from 1 in accept order).
        public let id: Int
        /// The login given with NICK once the login succeeded; nil before.
        public let login: String?
        /// Whether the login was anonymous (`justinfan<digits>`, IRC-L3).
        public let isAnonymous: Bool
        /// The capabilities acknowledged (IRC-C2).
        public let capabilities: Set<String>
        /// The channels currently joined.
        public let joinedChannels: Set<String>
        /// When the TCP connection was accepted.
        public let connectedAt: ContinuousClock.Instant
        /// Lines received from the client.
        public let linesReceived: Int
        /// `PONG`s received in answer to server `PING`s (IRC-P1).
        public let pongsReceived: Int
        /// Whether the WebSocket upgrade completed.
        public let isWebSocket: Bool
    }

    /// A `PRIVMSG` a client sent (the daemon posting results, IRC-S1); it is not echoed (IRC-G10).
    public struct ClientChatMessage: Sendable, Hashable {
        /// The sending connection.
        public let connectionID: Int
        /// The sender's login (nil if it sent before logging in).
        public let login: String?
        /// Target channel login.
        public let channel: String
        /// The text.
        public let text: String
        /// `reply-parent-msg-id` sent with it, if any.
        public let replyParentMessageID: String?
    }

    /// A consistent view of the simulator's state, handed to `waitUntil` conditions.
    public struct Snapshot: Sendable {
        /// Live connections, by id.
        public let connections: [ConnectionInfo]
        /// Lines received per command (`JOIN`, `PONG`, ...) since start.
        public let commandCounts: [String: Int]
        /// Number of JOIN commands received since start.
        public let joinCommandCount: Int

        /// How many live connections have joined `channel`.
        public func connectionCount(joined channel: String) -> Int {
            let name = TwitchLines.channelName(channel)
            return connections.count { $0.joinedChannels.contains(name) }
        }
    }
}
