extension IRCSimulator {
    /// Behaviour switches of the simulated server.
    public struct Options: Sendable {
        /// Tokens (without `oauth:`) whose login fails with `Login authentication failed` (IRC-L5).
        public var rejectedTokens: Set<String>
        /// Channels whose JOIN is silently dropped, as for a non-existent channel (IRC-J2).
        public var nonexistentChannels: Set<String>
        /// Channels whose JOIN gets `NOTICE` `msg_channel_suspended` (IRC-J2).
        public var suspendedChannels: Set<String>
        /// Chat lines kept per channel and re-sent after a JOIN's ROOMSTATE (at-least-once, IRC-T5); 0 disables.
        public var replayWindow: Int
        /// Probability that a chat message is delivered twice with the same id (IRC-T5); 0 disables.
        public var repeatProbability: Double
        /// Seed of the generator behind `repeatProbability`.
        public var randomSeed: UInt64
        /// Time between `RECONNECT` and the server closing the connection (IRC-R1).
        public var reconnectCloseDelay: Duration
        /// Time a client has to answer a server `PING` before it is disconnected (IRC-P1); nil never disconnects.
        public var pongTimeout: Duration?
        /// Interval of automatic server `PING`s after login (IRC-P1); nil sends them only on `sendPing`.
        public var pingInterval: Duration?
        /// Upper bound on an outgoing text frame's payload; lines are batched up to it (IRC-T2).
        ///
        /// Keep it at or below the client's maximum frame size (swift-websocket's default is 16 KiB).
        public var maxFramePayload: Int
        /// Largest inbound frame accepted from a client, in bytes.
        public var maxInboundFrameSize: Int
        /// Fixed `room-id`s by channel login; other channels get a stable hash.
        public var roomIDs: [String: String]

        /// Creates options; every default models an ordinary, healthy Twitch server.
        /// - Parameters:
        ///   - rejectedTokens: Tokens that fail login.
        ///   - nonexistentChannels: Channels whose JOIN is silently dropped.
        ///   - suspendedChannels: Channels answered with `msg_channel_suspended`.
        ///   - replayWindow: Chat lines replayed per channel on JOIN (default 200).
        ///   - repeatProbability: Chance of a duplicate delivery.
        ///   - randomSeed: Seed for duplicates.
        ///   - reconnectCloseDelay: Delay between RECONNECT and close (default 2 s).
        ///   - pongTimeout: PONG deadline after a server PING (default 10 s).
        ///   - pingInterval: Automatic PING period (default none).
        ///   - maxFramePayload: Outgoing frame payload bound (default 8 KiB).
        ///   - maxInboundFrameSize: Inbound frame bound (default 64 KiB).
        ///   - roomIDs: Fixed room ids.
        public init(
            rejectedTokens: Set<String> = [],
            nonexistentChannels: Set<String> = [],
            suspendedChannels: Set<String> = [],
            replayWindow: Int = 200,
            repeatProbability: Double = 0,
            randomSeed: UInt64 = 0x7475_6D75_6C74_65,
            reconnectCloseDelay: Duration = .seconds(2),
            pongTimeout: Duration? = .seconds(10),
            pingInterval: Duration? = nil,
            maxFramePayload: Int = 8 * 1024,
            maxInboundFrameSize: Int = 64 * 1024,
            roomIDs: [String: String] = [:]
        ) {
            self.rejectedTokens = rejectedTokens
            self.nonexistentChannels = Set(nonexistentChannels.map(TwitchLines.channelName))
            self.suspendedChannels = Set(suspendedChannels.map(TwitchLines.channelName))
            self.replayWindow = max(0, replayWindow)
            self.repeatProbability = min(max(repeatProbability, 0), 1)
            self.randomSeed = randomSeed
            self.reconnectCloseDelay = reconnectCloseDelay
            self.pongTimeout = pongTimeout
            self.pingInterval = pingInterval
            self.maxFramePayload = max(64, maxFramePayload)
            self.maxInboundFrameSize = max(1024, maxInboundFrameSize)
            self.roomIDs = Dictionary(roomIDs.map { (TwitchLines.channelName($0.key), $0.value) }, uniquingKeysWith: { $1 })
        }
    }
}
