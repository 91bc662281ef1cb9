/// Connection settings for ``RedisClient``.
public struct RedisConfiguration: Sendable {
    /// Host name or IP address of the Redis server.
    public var host: String
    /// TCP port of the Redis server.
    public var port: Int
    /// ACL user for `AUTH`; `nil` authenticates as the default user.
    public var username: String?
    /// Password for `AUTH`; `nil` skips authentication. Never logged.
    public var password: String?
    /// Database index selected after connecting (`SELECT`); 0 skips the command.
    public var database: Int
    /// How long a TCP connect may take before the attempt fails.
    public var connectTimeout: Duration
    /// How long a command (or pipelined batch) may wait for its replies; on expiry the connection is closed.
    public var commandTimeout: Duration
    /// Largest reply accepted, in payload bytes summed over the reply; beyond it the connection is closed.
    public var maxReplyBytes: Int
    /// Largest number of array elements accepted in one reply, nested arrays included.
    public var maxReplyElements: Int
    /// Delay between reconnect attempts.
    public var reconnectBackoff: Backoff
    /// Messages a subscription may buffer for a slow consumer before it is ended with ``RedisError/Code/connectionClosed``.
    public var subscriptionBufferSize: Int

    /// Creates a configuration; every parameter has a default.
    /// - Parameters:
    ///   - host: Redis host (`localhost`).
    ///   - port: Redis port (6379).
    ///   - username: ACL user for `AUTH` (none).
    ///   - password: Password for `AUTH` (none).
    ///   - database: Database index to `SELECT` (0).
    ///   - connectTimeout: TCP connect timeout (2 s).
    ///   - commandTimeout: Reply timeout per command or batch (5 s).
    ///   - maxReplyBytes: Reply payload cap (64 MiB).
    ///   - maxReplyElements: Reply element cap (1 Mi).
    ///   - reconnectBackoff: Reconnect delays (100 ms doubling to 3 s, equal jitter).
    ///   - subscriptionBufferSize: Pub/sub messages buffered per subscription (10 000).
    public init(
        host: String = "localhost",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(5),
        maxReplyBytes: Int = 64 * 1024 * 1024,
        maxReplyElements: Int = 1 << 20,
        reconnectBackoff: Backoff = Backoff(),
        subscriptionBufferSize: Int = 10_000
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maxReplyBytes = maxReplyBytes
        self.maxReplyElements = maxReplyElements
        self.reconnectBackoff = reconnectBackoff
        self.subscriptionBufferSize = subscriptionBufferSize
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// The settings with the password redacted.
    public var description: String {
        "RedisConfiguration(host: \(self.host), port: \(self.port), username: \(self.username ?? "-"), "
            + "password: \(self.password == nil ? "-" : "<redacted>"), database: \(self.database), "
            + "connectTimeout: \(self.connectTimeout), commandTimeout: \(self.commandTimeout))"
    }
}
