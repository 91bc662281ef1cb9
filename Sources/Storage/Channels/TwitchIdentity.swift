public import Core

/// Who a Twitch account is, as validation and `GET /helix/users` tell it after OAuth.
public struct TwitchIdentity: Sendable, Hashable {
    /// The Twitch user id.
    public var userID: String
    /// The login.
    public var login: ChannelLogin
    /// The display name.
    public var displayName: String
    /// `""`, `affiliate` or `partner`.
    public var broadcasterType: String

    /// Creates the identity; a broadcaster type other than affiliate or partner is stored as `""`.
    public init(userID: String, login: ChannelLogin, displayName: String, broadcasterType: String) {
        self.userID = userID
        self.login = login
        self.displayName = displayName
        self.broadcasterType = ["affiliate", "partner"].contains(broadcasterType) ? broadcasterType : ""
    }
}
