import Core
import EventSub
import Foundation
import Logging
import Storage

/// Turns an OAuth code into a connected channel: exchange, validate (API-O2), look the user up, then, only once
/// Twitch has answered everything, record the account on its channel and store the sealed tokens.
struct TwitchConnector: Sendable {
    /// Why a connection failed, with the sentence the streamer sees.
    struct Failure: Error, Sendable {
        /// The HTTP status of the page.
        var status: Int
        /// What the streamer reads.
        var message: String
    }

    /// The application tokens must belong to.
    let application: TwitchApplication
    /// Exchanges and validates.
    let oauth: TwitchOAuthClient
    /// Looks the user up.
    let helix: HelixClient
    /// Where the account is recorded.
    let channels: ChannelStore
    /// Where the tokens are sealed.
    let vault: TwitchTokenVault
    /// For connection failures (never tokens).
    let logger: Logger

    /// Connects the streamer account that granted `code`.
    func connect(code: String) async throws -> ChannelRecord {
        let (tokens, user, login) = try await self.exchange(code: code, scopes: TwitchOAuthClient.broadcasterScopes)
        let identity = TwitchIdentity(userID: user.id, login: login, displayName: user.displayName, broadcasterType: user.broadcasterType)
        guard let channel = try await self.channels.connect(identity) else {
            throw Failure(
                status: 403,
                message: "\(login) is not in the game master's channel list. Ask the game master to add it, then connect again."
            )
        }
        try await self.vault.save(tokens, channelID: channel.id)
        return try await self.channels.channel(login) ?? channel
    }

    /// Connects the bot account that granted `code` (scopes `chat:read chat:edit`), replacing any earlier bot.
    /// - Returns: The bot's login.
    func connectBot(code: String) async throws -> String {
        let (tokens, user, login) = try await self.exchange(code: code, scopes: TwitchOAuthClient.botScopes)
        try await self.vault.saveBot(tokens, login: login.value, userID: user.id)
        self.logger.info("Twitch bot account connected", metadata: ["twitch.bot": "\(login)"])
        return login.value
    }

    /// Exchanges the code, validates the token (its application and `scopes`) and looks the user up; writes nothing.
    private func exchange(code: String, scopes: [String]) async throws -> (TwitchTokens, HelixUser, ChannelLogin) {
        let tokens: TwitchTokens
        let validation: TwitchOAuthClient.Validation
        let user: HelixUser?
        do {
            tokens = try await self.oauth.exchange(code: code)
            validation = try await self.oauth.validate(tokens.accessToken)
            user = try await self.helix.users(logins: [], token: tokens.accessToken).first
        } catch let error as TwitchAPIError {
            self.logger.warning("Twitch refused the connection", metadata: ["twitch.error": "\(error)"])
            let status = error.code == .invalidGrant ? 400 : 502
            throw Failure(status: status, message: "Twitch did not complete the connection (\(error.message)). Please start again.")
        }
        guard validation.clientId == self.application.clientID else {
            throw Failure(status: 400, message: "Twitch issued this token to another application. Please start again.")
        }
        let granted = Set(tokens.scopes.isEmpty ? validation.scopes : tokens.scopes)
        let missing = scopes.filter { !granted.contains($0) }
        guard missing.isEmpty else {
            throw Failure(
                status: 400,
                message: "The connection lacks the permissions \(missing.joined(separator: ", ")). Please start again and accept them."
            )
        }
        guard let user, user.id == validation.userId, let login = ChannelLogin(user.login) else {
            throw Failure(status: 502, message: "Twitch did not say which account this is. Please start again.")
        }
        let kept = TwitchTokens(
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
            scopes: Array(granted).sorted(),
            expiresAt: tokens.expiresAt
        )
        return (kept, user, login)
    }
}
