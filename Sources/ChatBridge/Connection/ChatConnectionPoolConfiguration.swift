/// Settings of `ChatConnectionPool`; every default follows Twitch's limits and docs/twitch-protocol.md §1.
///
/// Durations are configurable so tests can run the keepalive, timeouts and backoff fast.
public struct ChatConnectionPoolConfiguration: Sendable {
    /// The default endpoint, `wss://irc-ws.chat.twitch.tv:443` (IRC-T1).
    public static let twitchURL = "wss://irc-ws.chat.twitch.tv:443"

    /// WebSocket URL; `wss://` (TLS) or `ws://` for local use.
    public var url: String
    /// Anonymous read-only or bot account (IRC-L1, IRC-L3).
    public var login: ChatLogin
    /// A PEM file of extra CA certificates trusted in addition to the system roots (`wss://` only).
    public var trustedCertificatesFile: String?
    /// Channels per connection, at most (IRC-J5: 90).
    public var maxChannelsPerConnection: Int
    /// Minimum time between two connection openings (IRC-J5: 2 s).
    public var connectionOpenInterval: Duration
    /// JOINs across the whole pool, each channel of a multi-channel JOIN counted (IRC-J3: under 20 per 10 s).
    public var joinLimit: ChatRateLimit
    /// Time for a JOIN to be confirmed by the self-JOIN or ROOMSTATE (IRC-J2: 10 s).
    public var joinTimeout: Duration
    /// Backoff between retries of an unconfirmed JOIN (IRC-J2).
    public var joinRetryBackoff: BackoffPolicy
    /// Backoff between retries of a suspended channel (IRC-J2).
    public var suspendedChannelBackoff: BackoffPolicy
    /// Backoff of new connections after a drop, a failed connect or a failed login (IRC-R3, IRC-L6).
    public var reconnectBackoff: BackoffPolicy
    /// A connection logged in for this long resets the reconnect backoff (IRC-R3).
    public var stablePeriod: Duration
    /// Time allowed from connecting to `001` (IRC-L4).
    public var loginTimeout: Duration
    /// Period of our own `PING` (IRC-P2: 30 s).
    public var pingInterval: Duration
    /// Time allowed for a sign of life after our `PING` before the connection is declared dead (IRC-P2: 5 s).
    public var pongTimeout: Duration
    /// Longest overlap after a RECONNECT: the old connection is closed once its channels are confirmed on
    /// the new one, or after this bound (IRC-R2).
    public var reconnectOverlap: Duration
    /// Chat messages sent by the bot account (IRC-S3: 20 per 30 s).
    public var sendLimit: ChatRateLimit
    /// Largest WebSocket frame accepted, in bytes.
    public var maxFrameSize: Int
    /// Largest WebSocket message (reassembled frames) accepted, in bytes (IRC-T6: lines exceed 10 KB).
    public var maxMessageSize: Int
    /// Time allowed for the WebSocket close handshake.
    public var closeTimeout: Duration

    /// Creates a configuration.
    /// - Parameters:
    ///   - url: WebSocket URL, Twitch by default.
    ///   - login: Anonymous (default) or a bot account.
    ///   - trustedCertificatesFile: Extra trusted CAs in PEM, none by default.
    ///   - maxChannelsPerConnection: 90 by default.
    ///   - connectionOpenInterval: 2 s by default.
    ///   - joinLimit: 20 per 11 s by default; `.verifiedBotJoins` for verified bots.
    ///   - joinTimeout: 10 s by default.
    ///   - joinRetryBackoff: 5 s doubling to 5 min by default.
    ///   - suspendedChannelBackoff: 10 min doubling to 2 h by default.
    ///   - reconnectBackoff: 1 s doubling to 30 s by default.
    ///   - stablePeriod: 60 s by default.
    ///   - loginTimeout: 10 s by default.
    ///   - pingInterval: 30 s by default.
    ///   - pongTimeout: 5 s by default.
    ///   - reconnectOverlap: 30 s by default.
    ///   - sendLimit: 20 per 30 s by default.
    ///   - maxFrameSize: 1 MiB by default.
    ///   - maxMessageSize: 4 MiB by default.
    ///   - closeTimeout: 5 s by default.
    public init(
        url: String = ChatConnectionPoolConfiguration.twitchURL,
        login: ChatLogin = .anonymous,
        trustedCertificatesFile: String? = nil,
        maxChannelsPerConnection: Int = 90,
        connectionOpenInterval: Duration = .seconds(2),
        joinLimit: ChatRateLimit = .joins,
        joinTimeout: Duration = .seconds(10),
        joinRetryBackoff: BackoffPolicy = .joinRetry,
        suspendedChannelBackoff: BackoffPolicy = .suspendedChannel,
        reconnectBackoff: BackoffPolicy = .reconnect,
        stablePeriod: Duration = .seconds(60),
        loginTimeout: Duration = .seconds(10),
        pingInterval: Duration = .seconds(30),
        pongTimeout: Duration = .seconds(5),
        reconnectOverlap: Duration = .seconds(30),
        sendLimit: ChatRateLimit = .messages,
        maxFrameSize: Int = 1 << 20,
        maxMessageSize: Int = 1 << 22,
        closeTimeout: Duration = .seconds(5)
    ) {
        self.url = url
        self.login = login
        self.trustedCertificatesFile = trustedCertificatesFile
        self.maxChannelsPerConnection = maxChannelsPerConnection
        self.connectionOpenInterval = connectionOpenInterval
        self.joinLimit = joinLimit
        self.joinTimeout = joinTimeout
        self.joinRetryBackoff = joinRetryBackoff
        self.suspendedChannelBackoff = suspendedChannelBackoff
        self.reconnectBackoff = reconnectBackoff
        self.stablePeriod = stablePeriod
        self.loginTimeout = loginTimeout
        self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout
        self.reconnectOverlap = reconnectOverlap
        self.sendLimit = sendLimit
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.closeTimeout = closeTimeout
    }
}
