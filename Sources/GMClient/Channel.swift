/// A streamer channel as the GM API returns it; only the fields the CLI prints are decoded.
public struct Channel: Decodable, Sendable, Equatable {
    /// The Twitch login, lowercase.
    public let login: String
    /// Whether a Twitch account is linked (native polls possible).
    public let connected: Bool
    /// The overlay page to paste into OBS as a browser source; nil if the daemon sent none.
    public let overlayUrl: String?

    /// Creates a channel.
    /// - Parameters:
    ///   - login: the Twitch login.
    ///   - connected: whether a Twitch account is linked.
    ///   - overlayUrl: the overlay page URL.
    public init(login: String, connected: Bool, overlayUrl: String?) {
        self.login = login
        self.connected = connected
        self.overlayUrl = overlayUrl
    }
}
