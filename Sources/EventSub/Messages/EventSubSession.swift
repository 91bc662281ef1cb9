/// The `session` object of `session_welcome` and `session_reconnect` (ES-2, ES-6).
public struct EventSubSession: Sendable, Hashable, Decodable {
    /// The session id, used as `transport.session_id` when subscribing.
    public var id: String
    /// `connected`, or `reconnecting` in a reconnect message.
    public var status: String
    /// Seconds without a message after which the connection counts as lost (ES-5); nil in a reconnect message.
    public var keepaliveTimeoutSeconds: Int?
    /// Where to connect, as is, after a `session_reconnect` (ES-6); nil in a welcome.
    public var reconnectURL: String?

    /// Creates a session.
    public init(id: String, status: String, keepaliveTimeoutSeconds: Int? = nil, reconnectURL: String? = nil) {
        self.id = id
        self.status = status
        self.keepaliveTimeoutSeconds = keepaliveTimeoutSeconds
        self.reconnectURL = reconnectURL
    }

    private enum CodingKeys: String, CodingKey {
        case id, status
        case keepaliveTimeoutSeconds = "keepalive_timeout_seconds"
        case reconnectURL = "reconnect_url"
    }
}
