import AsyncHTTPClient
import Core
import EventSub
import Foundation
import Logging
import PostgresNIO
import Redis
import Storage
import TestSupport
import Testing
import TwitchSimulator

@testable import Daemon

/// Access tokens kept usable: refresh before expiry and after a 401 with the refresh token rotated (API-O1), one
/// refresh at a time across daemons (Redis lock), validation (API-O2), and `needs_reauth` when nothing works.
@Suite struct TwitchCredentialsTests {
    static let clientID = "cred-client"
    static let clientSecret = "cred-secret"

    struct Setup: Sendable {
        let api: TwitchAPISimulator
        let client: PostgresClient
        let redis: RedisClient
        let channels: ChannelStore
        let vault: TwitchTokenVault
        let channelID: UUID
        let oauth: TwitchOAuthClient

        /// A keeper as one daemon has it.
        func credentials(refreshMargin: TimeInterval = 300) -> TwitchCredentials {
            var configuration = TwitchCredentials.Configuration()
            configuration.refreshMargin = refreshMargin
            configuration.prefix = "test-\(self.channelID.uuidString.prefix(8))"
            return TwitchCredentials(
                vault: self.vault,
                oauth: self.oauth,
                channels: self.channels,
                redis: self.redis,
                configuration: configuration,
                logger: TestServices.quietLogger
            )
        }

        /// The number of token-endpoint calls so far.
        var tokenCalls: Int { self.api.requests.filter { $0 == "POST /oauth2/token" }.count }
    }

    /// A migrated schema with channel `alpha_gm` connected with fresh simulator tokens (expiring in `expiresIn`).
    static func withSetup(expiresIn: TimeInterval = 14_400, _ body: @Sendable (Setup) async throws -> Void) async throws {
        let api = TwitchAPISimulator(clientID: Self.clientID, clientSecret: Self.clientSecret, logger: TestServices.quietLogger)
        api.addUser(login: "alpha_gm", broadcasterType: "affiliate")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await api.run() }
            defer { group.cancelAll() }
            _ = await api.boundPort()
            try await TestServices.withIsolatedSchema { client, _ in
                _ = try await Migrator().migrate(client: client, logger: TestServices.quietLogger)
                try await TestServices.withRedisClient { redis in
                    let channels = ChannelStore(
                        client: client,
                        tokens: OverlayTokens(applicationKey: Array(repeating: 1, count: 32)),
                        logger: TestServices.quietLogger
                    )
                    let channel = try await channels.add(ChannelLogin("alpha_gm")!).channel
                    let vault = TwitchTokenVault(
                        cipher: TwitchTokenVault.cipher(current: AppKey.generate(), previous: []),
                        store: TwitchTokenStore(client: client, logger: TestServices.quietLogger)
                    )
                    let issued = try #require(api.issueTokens(to: "alpha_gm", scopes: TwitchOAuthClient.broadcasterScopes))
                    try await vault.save(
                        TwitchTokens(
                            accessToken: issued.accessToken,
                            refreshToken: issued.refreshToken,
                            scopes: TwitchOAuthClient.broadcasterScopes,
                            expiresAt: Date().addingTimeInterval(expiresIn)
                        ),
                        channelID: channel.id
                    )
                    let application = TwitchApplication(
                        clientID: Self.clientID,
                        clientSecret: Self.clientSecret,
                        redirectURI: "http://127.0.0.1:9/cb",
                        authURL: api.authURL,
                        apiURL: api.helixURL
                    )
                    try await body(
                        Setup(
                            api: api,
                            client: client,
                            redis: redis,
                            channels: channels,
                            vault: vault,
                            channelID: channel.id,
                            oauth: TwitchOAuthClient(application: application, httpClient: .shared)
                        )
                    )
                }
            }
        }
    }

    @Test("a live token is handed out as stored; one about to expire is refreshed first, the refresh token rotated")
    func refreshBeforeExpiry() async throws {
        try await Self.withSetup(expiresIn: 60) { setup in
            let stored = try #require(try await setup.vault.tokens(channelID: setup.channelID))
            let relaxed = setup.credentials(refreshMargin: 10)
            #expect(try await relaxed.accessToken(channelID: setup.channelID) == stored.accessToken)
            #expect(setup.tokenCalls == 0)
            let token = try await setup.credentials().accessToken(channelID: setup.channelID)
            #expect(token != stored.accessToken && setup.tokenCalls == 1)
            let after = try #require(try await setup.vault.tokens(channelID: setup.channelID))
            #expect(after.accessToken == token && after.refreshToken != stored.refreshToken)
            #expect(try await setup.oauth.validate(token).login == "alpha_gm")
        }
    }

    @Test("two daemons refusing the same token at once refresh it once (Redis lock) and both get the new one")
    func oneRefreshAcrossDaemons() async throws {
        try await Self.withSetup { setup in
            let rejected = try #require(try await setup.vault.tokens(channelID: setup.channelID)).accessToken
            setup.api.expireAccessTokens(of: "alpha_gm")
            let (first, second) = (setup.credentials(), setup.credentials())
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<10 {
                    let keeper = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await keeper.refresh(channelID: setup.channelID, replacing: rejected) }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(tokens).count == 1 && tokens.first != rejected)
            #expect(setup.tokenCalls == 1)
            #expect(setup.api.isLive(accessToken: tokens[0]))
        }
    }

    @Test("a refresh token Twitch refuses marks the channel needs_reauth; hourly validation finds it too")
    func needsReauth() async throws {
        try await Self.withSetup { setup in
            let rejected = try #require(try await setup.vault.tokens(channelID: setup.channelID)).accessToken
            // Validation of a live token changes nothing.
            #expect(try await setup.credentials().validateAll() == [])
            // An expired access token is refreshed by validation.
            setup.api.expireAccessTokens(of: "alpha_gm")
            #expect(try await setup.credentials().validateAll() == [])
            let refreshed = try #require(try await setup.vault.tokens(channelID: setup.channelID)).accessToken
            #expect(refreshed != rejected && setup.tokenCalls == 1)
            // Disconnected on twitch.tv: the refresh fails for good.
            setup.api.expireAccessTokens(of: "alpha_gm")
            setup.api.revokeRefreshTokens(of: "alpha_gm")
            #expect(try await setup.credentials().validateAll() == ["alpha_gm"])
            let channel = try #require(try await setup.channels.channel(ChannelLogin("alpha_gm")!))
            #expect(channel.needsReauth)
            let failure = await #expect(throws: TwitchCredentials.Failure.self) {
                try await setup.credentials().refresh(channelID: setup.channelID, replacing: refreshed)
            }
            #expect(failure?.code == .needsReauth)
        }
    }
}
