public import Foundation

/// A channel's Twitch tokens as `twitch_tokens` stores them: sealed, with the identifier of the key that sealed both.
public struct TwitchTokenRow: Sendable, Hashable {
    /// The channel row the tokens belong to.
    public var channelID: UUID
    /// The identifier of the key that sealed both tokens.
    public var keyID: String
    /// The sealed access token.
    public var accessToken: [UInt8]
    /// The sealed refresh token, if Twitch gave one.
    public var refreshToken: [UInt8]?
    /// The scopes Twitch granted.
    public var scopes: [String]
    /// When the access token expires, if Twitch said.
    public var expiresAt: Date?

    /// Creates a row.
    public init(channelID: UUID, keyID: String, accessToken: [UInt8], refreshToken: [UInt8]?, scopes: [String], expiresAt: Date?) {
        self.channelID = channelID
        self.keyID = keyID
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}
