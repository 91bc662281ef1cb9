#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A user's Twitch tokens in clear, as OAuth hands them out. Never logged: its description hides both tokens.
public struct TwitchTokens: Sendable, Hashable, CustomStringConvertible {
    /// The access token sent as `Bearer` to Helix.
    public var accessToken: String
    /// The refresh token (authorization-code tokens have one).
    public var refreshToken: String?
    /// The scopes Twitch granted.
    public var scopes: [String]
    /// When the access token expires, if Twitch said.
    public var expiresAt: Date?

    /// Creates the tokens.
    public init(accessToken: String, refreshToken: String?, scopes: [String], expiresAt: Date?) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.scopes = scopes
        self.expiresAt = expiresAt
    }

    /// Whether every scope in `needed` was granted.
    public func grants(_ needed: [String]) -> Bool {
        needed.allSatisfy(self.scopes.contains)
    }

    /// The scopes and expiry, never the tokens.
    public var description: String {
        "TwitchTokens(scopes: \(self.scopes.joined(separator: " ")), expiresAt: \(self.expiresAt.map { "\($0)" } ?? "unknown"))"
    }
}
