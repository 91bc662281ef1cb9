/// Metadata keys of the connection pool's logs, dotted and prefixed with `twitch.` (house rule 17).
enum ChatLogKey {
    /// The connection id.
    static let connection = "twitch.connection"
    /// A channel login.
    static let channel = "twitch.channel"
    /// A number of channels.
    static let channelCount = "twitch.channel_count"
    /// The login (nick) of a connection.
    static let login = "twitch.login"
    /// The endpoint URL.
    static let url = "twitch.url"
    /// Why something ended or failed.
    static let reason = "twitch.reason"
    /// The delay before a retry.
    static let retryIn = "twitch.retry_in"
    /// A parse error code.
    static let parseError = "twitch.parse_error"
}
