import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import TwitchSimulator

/// Streamers connect their Twitch accounts through the daemon's OAuth routes, against the simulator's OAuth and
/// Helix: tokens end up sealed in PostgreSQL, the channel list shows the account, and every failure changes nothing.
@Suite struct TwitchConnectTests {
    static let clientID = "tumulte-test-client"
    static let clientSecret = "tumulte-test-secret-9b1f"

    /// Runs `body` with an IRC simulator, a Twitch API simulator knowing three accounts, and a daemon using both.
    static func withConnectableDaemon(
        settings: [String: String] = [:],
        _ body: @Sendable (PollHarness, TwitchAPISimulator, IRCSimulator) async throws -> Void
    ) async throws {
        let api = TwitchAPISimulator(clientID: Self.clientID, clientSecret: Self.clientSecret, logger: TestServices.quietLogger)
        api.addUser(login: "alpha_gm", displayName: "Alpha_GM", broadcasterType: "affiliate")
        api.addUser(login: "beta_gm", displayName: "Beta_GM", broadcasterType: "partner")
        api.addUser(login: "gamma_gm", displayName: "Gamma_GM")
        api.addUser(login: "stranger")
        try await PollLifecycleTests.withSimulator { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await api.run() }
                defer { group.cancelAll() }
                _ = await api.boundPort()
                let harness = try await PollHarness.start(
                    simulator: simulator,
                    settings: [
                        "TWITCH_CLIENT_ID": Self.clientID, "TWITCH_CLIENT_SECRET": Self.clientSecret, "TWITCH_AUTH_URL": api.authURL,
                        "TWITCH_API_URL": api.helixURL, "TWITCH_EVENTSUB_URL": api.eventSubURL,
                    ].merging(settings) { $1 }
                )
                do {
                    try await body(harness, api, simulator)
                } catch {
                    try? await harness.stop()
                    throw error
                }
                try await harness.stop()
            }
        }
    }

    /// Walks the whole flow as `login` in `browser`: daemon → Twitch → callback. Returns the callback's page.
    static func connect(_ login: String, harness: PollHarness, api: TwitchAPISimulator, browser: TwitchBrowser) async throws -> TwitchBrowser.Page {
        api.authorizeNext(as: login)
        let start = try await browser.get(harness.base + "/auth/twitch")
        #expect(start.status == 302)
        let authorize = try #require(start.location)
        #expect(authorize.hasPrefix(api.authURL + "/authorize?"))
        #expect(authorize.contains("scope=channel%3Aread%3Apolls%20channel%3Amanage%3Apolls"))
        let twitch = try await browser.get(authorize)
        #expect(twitch.status == 302)
        let callback = try #require(twitch.location)
        #expect(callback.hasPrefix(harness.base + "/auth/twitch/callback?"))
        return try await browser.get(callback)
    }

    @Test("OAuth connect: 2 affiliate/partner channels and 1 plain one; tokens sealed, none in a pg_dump; failures change nothing")
    func connectChannels() async throws {
        try await Self.withConnectableDaemon { harness, api, _ in
            for login in ["alpha_gm", "beta_gm", "gamma_gm"] {
                #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": login]).status == 201)
            }
            let browser = TwitchBrowser()
            defer { Task { await browser.close() } }
            for login in ["alpha_gm", "beta_gm", "gamma_gm"] {
                let page = try await Self.connect(login, harness: harness, api: api, browser: browser)
                #expect(page.status == 200, "\(page.body)")
                #expect(page.body.contains("is connected") && page.body.contains("/overlay/"))
            }
            let channels = try await harness.request("GET", "/api/v1/channels").json["channels"] as? [[String: Any]] ?? []
            let summary = channels.map { "\($0["login"]!)|\($0["connected"]!)|\($0["broadcasterType"]!)|\($0["needsReauth"]!)" }
            #expect(summary == ["alpha_gm|1|affiliate|0", "beta_gm|1|partner|0", "gamma_gm|1||0"])
            #expect(channels.first?["displayName"] as? String == "Alpha_GM")
            let health = try await harness.anonymous("GET", "/health").json["services"] as? [String: Any]
            #expect((health?["twitchAccounts"] as? [String: Any])?["status"] as? String == "ok")
            #expect(channels.first?["twitchUserId"] as? String == api.userID(of: "alpha_gm"))

            // The callback again (the cookie is gone, the code used): refused, nothing changes.
            api.authorizeNext(as: "alpha_gm")
            let replayStart = try await browser.get(harness.base + "/auth/twitch")
            let replayAuthorize = try #require(replayStart.location)
            let replayCallback = try #require(try await browser.get(replayAuthorize).location)
            #expect(try await browser.get(replayCallback).status == 200)
            let replay = try await browser.get(replayCallback)
            #expect(replay.status == 400 && replay.body.contains("already used"))

            // A tampered state, and a state from another browser: refused.
            api.authorizeNext(as: "alpha_gm")
            let forgedAuthorize = try #require(try await browser.get(harness.base + "/auth/twitch").location)
            let forged = try #require(try await browser.get(forgedAuthorize).location)
            #expect(try await browser.get(forged.replacingOccurrences(of: "state=", with: "state=x")).status == 400)
            browser.clearCookies()
            #expect(try await browser.get(forged).status == 400)

            // Declined consent: a clear page, nothing stored.
            api.denyNextAuthorization()
            let denied = try await Self.connect("alpha_gm", harness: harness, api: api, browser: browser)
            #expect(denied.status == 400 && denied.body.contains("The user denied you access"))

            // An account whose channel the GM has not added: refused, no channel appears.
            let stranger = try await Self.connect("stranger", harness: harness, api: api, browser: browser)
            #expect(stranger.status == 403 && stranger.body.contains("not in the game master"))
            let after = try await harness.request("GET", "/api/v1/channels").json["channels"] as? [[String: Any]] ?? []
            #expect(after.count == 3)

            // No token Twitch issued appears in a dump of the daemon's database.
            let tokens = ["alpha_gm", "beta_gm", "gamma_gm", "stranger"].flatMap { api.issuedTokens(of: $0) }
            #expect(tokens.count >= 8)
            let dump = try await harness.pgDump()
            #expect(dump.contains("COPY public.twitch_tokens") || dump.contains("INSERT INTO public.twitch_tokens"))
            let leaked = tokens.filter { dump.contains($0) }
            #expect(leaked.isEmpty, "tokens in clear in pg_dump: \(leaked.count)")
            #expect(!harness.daemon.output.contains { line in tokens.contains { line.contains($0) } }, "a token reached the logs")
        }
    }

    @Test("without a Twitch application, /auth/twitch says which variables to set")
    func notConfigured() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let browser = TwitchBrowser()
            let page = try await browser.get(harness.base + "/auth/twitch")
            await browser.close()
            #expect(page.status == 503 && page.body.contains("TWITCH_CLIENT_ID"))
            let health = try await harness.anonymous("GET", "/health").json["services"] as? [String: Any]
            #expect((health?["twitchAccounts"] as? [String: Any])?["status"] as? String == "disabled")
            try await harness.stop()
        }
    }
}
