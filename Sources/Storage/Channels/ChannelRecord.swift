public import Core
public import Foundation

/// A channel the GM can run polls in, as stored in `channels`.
public struct ChannelRecord: Sendable, Hashable {
    /// The row id.
    public let id: UUID
    /// The Twitch login.
    public let login: ChannelLogin
    /// The Twitch display name, once known (after an account is connected).
    public let displayName: String?
    /// The Twitch user id, once known.
    public let twitchUserID: String?
    /// Whether a Twitch account with tokens is connected (needed for native polls).
    public let isConnected: Bool
    /// `""`, `affiliate` or `partner`, as Twitch said when the account was connected.
    public let broadcasterType: String
    /// Whether the connected account's tokens could not be refreshed: the streamer must connect again, and polls
    /// use chat voting in this channel until then.
    public let needsReauth: Bool
    /// The channel's current overlay token (derived from a stored nonce and the application key; only its hash is stored).
    public let overlayToken: String
    /// When the channel was first added.
    public let createdAt: Date
}
