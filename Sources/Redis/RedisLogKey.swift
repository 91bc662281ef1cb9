/// Metadata keys used in the Redis module's log records.
enum RedisLogKey {
    /// The Redis server host.
    static let host = "redis.host"
    /// The Redis server port.
    static let port = "redis.port"
    /// The selected database index.
    static let database = "redis.database"
    /// An error description.
    static let error = "redis.error"
    /// A command name.
    static let command = "redis.command"
    /// How many commands a pipelined batch holds.
    static let batchSize = "redis.batch_size"
    /// The channels of a subscription.
    static let channels = "redis.channels"
    /// How long until the next reconnect attempt.
    static let delay = "redis.reconnect_delay"
}
