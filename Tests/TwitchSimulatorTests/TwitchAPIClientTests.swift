import AsyncHTTPClient
import EventSub
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing
import TwitchSimulator

/// The daemon's OAuth and Helix clients against the simulator over real sockets: the authorization-code flow,
/// refresh with rotation (API-O1), validation (API-O2), users, and the rate-limit and retry rules (API-R1).
@Suite struct TwitchAPIClientTests {
    static let clientID = "sim-client-id"
    static let clientSecret = "sim-client-secret"
    static let redirect = "http://127.0.0.1:9/auth/twitch/callback"

    /// Runs `body` with a running simulator that knows `alpha_gm` (affiliate) and `gamma_gm`, and both clients.
    static func withClients(_ body: @Sendable (TwitchAPISimulator, TwitchOAuthClient, HelixClient) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let simulator = TwitchAPISimulator(clientID: Self.clientID, clientSecret: Self.clientSecret, logger: logger)
        simulator.addUser(login: "alpha_gm", displayName: "Alpha_GM", broadcasterType: "affiliate")
        simulator.addUser(login: "gamma_gm")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            defer { group.cancelAll() }
            _ = await simulator.boundPort()
            let application = TwitchApplication(
                clientID: Self.clientID,
                clientSecret: Self.clientSecret,
                redirectURI: Self.redirect,
                authURL: simulator.authURL,
                apiURL: simulator.helixURL
            )
            try await body(
                simulator,
                TwitchOAuthClient(application: application, httpClient: .shared),
                HelixClient(application: application, httpClient: .shared)
            )
        }
    }

    /// Follows the authorize URL as a browser would (one redirect) and returns the callback's query items.
    static func authorize(_ oauth: TwitchOAuthClient, state: String) async throws -> [String: String] {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        let response = try await client.execute(
            HTTPClientRequest(url: oauth.authorizeURL(state: state, scopes: TwitchOAuthClient.broadcasterScopes)),
            timeout: .seconds(10)
        )
        #expect(response.status.code == 302)
        let location = try #require(response.headers.first(name: "Location"))
        #expect(location.hasPrefix(Self.redirect + "?"))
        let items = URLComponents(string: location)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    }

    @Test func theCodeFlowGivesTokensThatValidateAndLookUpTheUserAPIO2() async throws {
        try await Self.withClients { simulator, oauth, helix in
            simulator.authorizeNext(as: "alpha_gm")
            let callback = try await Self.authorize(oauth, state: "s-1")
            #expect(callback["state"] == "s-1")
            let code = try #require(callback["code"])
            let tokens = try await oauth.exchange(code: code)
            #expect(tokens.grants(TwitchOAuthClient.broadcasterScopes))
            #expect(tokens.refreshToken != nil && tokens.expiresAt != nil)
            let validation = try await oauth.validate(tokens.accessToken)
            #expect(validation.login == "alpha_gm" && validation.clientId == Self.clientID && validation.expiresIn > 0)
            let user = try #require(try await helix.users(logins: [], token: tokens.accessToken).first)
            #expect(user == HelixUser(id: validation.userId, login: "alpha_gm", displayName: "Alpha_GM", broadcasterType: "affiliate"))
            #expect(user.canRunPolls)
            // A code works once.
            let error = await #expect(throws: TwitchAPIError.self) { try await oauth.exchange(code: code) }
            #expect(error?.code == .invalidGrant && error?.isPermanent == true)
        }
    }

    @Test func aDeniedConsentComesBackAsAnErrorWithTheState() async throws {
        try await Self.withClients { simulator, oauth, _ in
            simulator.denyNextAuthorization()
            let callback = try await Self.authorize(oauth, state: "s-2")
            #expect(callback["error"] == "access_denied" && callback["state"] == "s-2" && callback["code"] == nil)
        }
    }

    @Test func refreshRotatesTheRefreshTokenAndTheOldOneStopsWorkingAPIO1() async throws {
        try await Self.withClients { simulator, oauth, helix in
            simulator.authorizeNext(as: "gamma_gm")
            let code = try #require(try await Self.authorize(oauth, state: "s").first { $0.key == "code" }?.value)
            let first = try await oauth.exchange(code: code)
            simulator.expireAccessTokens(of: "gamma_gm")
            let expired = await #expect(throws: TwitchAPIError.self) { try await oauth.validate(first.accessToken) }
            #expect(expired?.code == .unauthorized && expired?.status == 401)
            let helixError = await #expect(throws: TwitchAPIError.self) { try await helix.users(logins: [], token: first.accessToken) }
            #expect(helixError?.code == .unauthorized && helixError?.isPermanent == false)

            let second = try await oauth.refresh(try #require(first.refreshToken))
            #expect(second.refreshToken != first.refreshToken)
            #expect(try await oauth.validate(second.accessToken).login == "gamma_gm")
            let reused = await #expect(throws: TwitchAPIError.self) { try await oauth.refresh(first.refreshToken ?? "") }
            #expect(reused?.code == .invalidGrant)
            // Revoked tokens fail validation; revoking twice is not an error.
            try await oauth.revoke(second.accessToken)
            try await oauth.revoke(second.accessToken)
            #expect(simulator.isLive(accessToken: second.accessToken) == false)
        }
    }

    @Test func a429WaitsForTheBucketAndA503IsRetriedOnceAPIR1() async throws {
        try await Self.withClients { simulator, oauth, helix in
            simulator.authorizeNext(as: "alpha_gm")
            let code = try #require(try await Self.authorize(oauth, state: "s").first { $0.key == "code" }?.value)
            let token = try await oauth.exchange(code: code).accessToken
            let before = simulator.requests.count
            simulator.failNextHelixRequests(with: [429, 503])
            let started = Date()
            #expect(try await helix.users(logins: ["gamma_gm"], token: token).map(\.login) == ["gamma_gm"])
            #expect(simulator.requests.count - before == 3)
            // The 429 said the bucket refills at the next whole second: the client waited for it before retrying.
            #expect(Date().timeIntervalSince(started) >= 0.05)

            simulator.failNextHelixRequests(with: [503, 503])
            let unavailable = await #expect(throws: TwitchAPIError.self) { try await helix.users(logins: [], token: token) }
            #expect(unavailable?.code == .unavailable && unavailable?.status == 503)
            simulator.failNextHelixRequests(with: [400])
            let before400 = simulator.requests.count
            let refused = await #expect(throws: TwitchAPIError.self) { try await helix.users(logins: [], token: token) }
            #expect(refused?.code == .badRequest && simulator.requests.count - before400 == 1)
        }
    }
}
