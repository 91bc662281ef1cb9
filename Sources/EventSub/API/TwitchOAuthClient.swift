public import AsyncHTTPClient
public import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Twitch's OAuth endpoints for user tokens: the authorize URL, code exchange, refresh (API-O1), validation
/// (API-O2) and revocation.
public struct TwitchOAuthClient: Sendable {
    /// Scopes a broadcaster grants for native polls.
    public static let broadcasterScopes = ["channel:read:polls", "channel:manage:polls"]
    /// Scopes the bot account grants for chat.
    public static let botScopes = ["chat:read", "chat:edit"]

    /// What `validate` says about a token.
    public struct Validation: Sendable, Equatable, Decodable {
        /// The application the token belongs to.
        public var clientId: String
        /// The user's login.
        public var login: String
        /// The user's id.
        public var userId: String
        /// The granted scopes.
        public var scopes: [String]
        /// Seconds until the token expires.
        public var expiresIn: Int
    }

    private let application: TwitchApplication
    private let http: TwitchHTTP

    /// Creates a client over a shared `HTTPClient`.
    public init(application: TwitchApplication, httpClient: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.application = application
        self.http = TwitchHTTP(client: httpClient, timeout: timeout)
    }

    /// Where to send the user's browser: Twitch's consent page for `scopes`, returning `state`.
    public func authorizeURL(state: String, scopes: [String]) -> String {
        self.application.authURL + "/authorize"
            + TwitchHTTP.query([
                ("client_id", self.application.clientID), ("redirect_uri", self.application.redirectURI),
                ("response_type", "code"), ("scope", scopes.joined(separator: " ")), ("state", state),
            ])
    }

    /// Exchanges an authorization code for tokens.
    public func exchange(code: String, now: Date = Date()) async throws -> TwitchTokens {
        try await self.grant(
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", self.application.redirectURI)],
            now: now
        )
    }

    /// Refreshes tokens; the answer may carry a new refresh token, which replaces the old one (API-O1).
    /// - Throws: ``TwitchAPIError`` with `invalidGrant` when the refresh token is no longer valid.
    public func refresh(_ refreshToken: String, now: Date = Date()) async throws -> TwitchTokens {
        var tokens = try await self.grant([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], now: now)
        if tokens.refreshToken == nil { tokens.refreshToken = refreshToken }
        return tokens
    }

    /// An app access token (client-credentials grant), for webhook subscriptions (ES-12).
    public func appToken(now: Date = Date()) async throws -> TwitchTokens {
        try await self.grant([("grant_type", "client_credentials")], now: now)
    }

    /// Validates an access token (API-O2).
    /// - Throws: ``TwitchAPIError`` with `unauthorized` when Twitch no longer accepts it.
    public func validate(_ accessToken: String) async throws -> Validation {
        let response = try await self.http.send(.GET, self.application.authURL + "/validate", headers: ["Authorization": "OAuth \(accessToken)"])
        switch response.status {
        case 200: return try response.decode(Validation.self, "validate")
        case 401: throw TwitchAPIError(.unauthorized, status: 401, response.message)
        default: throw Self.failure(response)
        }
    }

    /// Revokes an access token; an already invalid token is not an error.
    public func revoke(_ accessToken: String) async throws {
        let response = try await self.http.send(
            .POST,
            self.application.authURL + "/revoke",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: TwitchHTTP.form([("client_id", self.application.clientID), ("token", accessToken)])
        )
        guard response.status == 200 || response.status == 400 else { throw Self.failure(response) }
    }

    /// The token endpoint's answer.
    private struct TokenBody: Decodable {
        var accessToken: String
        var refreshToken: String?
        var expiresIn: Int?
        var scope: [String]?
    }

    private func grant(_ items: [(String, String)], now: Date) async throws -> TwitchTokens {
        let response = try await self.http.send(
            .POST,
            self.application.authURL + "/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: TwitchHTTP.form([("client_id", self.application.clientID), ("client_secret", self.application.clientSecret)] + items)
        )
        switch response.status {
        case 200:
            let body = try response.decode(TokenBody.self, "token")
            return TwitchTokens(
                accessToken: body.accessToken,
                refreshToken: body.refreshToken,
                scopes: body.scope ?? [],
                expiresAt: body.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) }
            )
        case 400: throw TwitchAPIError(.invalidGrant, status: 400, response.message)
        default: throw Self.failure(response)
        }
    }

    /// The error for an unexpected status.
    static func failure(_ response: TwitchHTTPResponse) -> TwitchAPIError {
        let code: TwitchAPIError.Code =
            switch response.status {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 429: .rateLimited
            case 500...: .unavailable
            default: .malformed
            }
        return TwitchAPIError(code, status: response.status, response.message)
    }
}
