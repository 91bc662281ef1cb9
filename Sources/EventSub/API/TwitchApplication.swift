/// The Twitch application the daemon acts as, and where Twitch is (the real URLs, or the simulator's).
public struct TwitchApplication: Sendable, Equatable {
    /// The client id.
    public var clientID: String
    /// The client secret; never logged.
    public var clientSecret: String
    /// The OAuth redirect URI registered with Twitch.
    public var redirectURI: String
    /// OAuth base, `https://id.twitch.tv/oauth2`.
    public var authURL: String
    /// Helix base, `https://api.twitch.tv/helix`.
    public var apiURL: String

    /// Creates the description; trailing slashes of the URLs are dropped.
    public init(clientID: String, clientSecret: String, redirectURI: String, authURL: String, apiURL: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.authURL = authURL.hasSuffix("/") ? String(authURL.dropLast()) : authURL
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }
}
