import Foundation
import Logging
import TestSupport
import Testing
import TwitchSimulator

/// Native Twitch polls end to end, against the simulator's OAuth, Helix and EventSub over real sockets, with real
/// Redis and PostgreSQL: accounts connected by OAuth, a `mode=auto` poll over two affiliate/partner channels and one
/// plain channel, native and chat votes, a `session_reconnect` and a hard drop mid-poll, an access token expiring
/// mid-poll, and the final tally equal to the script, channel-points votes counted once (SUB-2, SUB-4).
@Suite struct NativePollTests {
    @Test("ES-6 ES-7 SUB-2 SUB-4 API-O1: an auto poll runs natively where it can, survives reconnects and an expired token, and ends exact")
    func autoPollAcrossNativeAndChat() async throws {
        try await TwitchConnectTests.withConnectableDaemon { harness, api, irc in
            for login in ["alpha_gm", "beta_gm", "gamma_gm"] {
                #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": login]).status == 201)
            }
            let browser = TwitchBrowser()
            for login in ["alpha_gm", "beta_gm", "gamma_gm"] {
                #expect(try await TwitchConnectTests.connect(login, harness: harness, api: api, browser: browser).status == 200)
            }
            await browser.close()
            // Sessions come up for the two channels that can run polls (ES-3: subscribed on the welcome).
            try await harness.eventually(within: .seconds(30), "EventSub subscriptions of alpha and beta") {
                ["alpha_gm", "beta_gm"].allSatisfy { login in api.subscriptions(of: login).filter { $0.status == "enabled" }.count == 3 }
            }
            #expect(api.subscriptions(of: "gamma_gm").isEmpty)
            try await irc.waitForJoined(["alpha_gm", "beta_gm", "gamma_gm"], timeout: .seconds(30))

            let started = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: [
                    "title": "Which door?", "options": ["Left", "Middle", "Right"], "durationSeconds": 60,
                    "channels": ["alpha_gm", "beta_gm", "gamma_gm"], "mode": "auto",
                ]
            )
            try #require(started.status == 201, "\(started.body)")
            let id = try #require(started.json["id"] as? String)
            let modes = (started.json["channels"] as? [[String: Any]] ?? []).map { "\($0["login"]!)=\($0["mode"]!)" }
            #expect(modes == ["alpha_gm=native", "beta_gm=native", "gamma_gm=chat"])
            #expect(api.polls(of: "alpha_gm").first?.status == "ACTIVE" && api.polls(of: "beta_gm").first?.status == "ACTIVE")
            #expect(api.polls(of: "gamma_gm").isEmpty)

            // Native votes; 3 of alpha's are bought with channel points and already inside `votes` (SUB-4).
            api.vote(in: "alpha_gm", choice: 0, votes: 5)
            api.vote(in: "alpha_gm", choice: 1, votes: 2, channelPointsVotes: 3)
            api.vote(in: "beta_gm", choice: 0, votes: 4)
            // Chat: gamma votes in chat; a chat command in a native channel does not count.
            await irc.privmsg(SimulatedMessage(userID: "9001", login: "viewer1", text: "!2"), in: "gamma_gm")
            await irc.privmsg(SimulatedMessage(userID: "9002", login: "viewer2", text: "!3"), in: "gamma_gm")
            await irc.privmsg(SimulatedMessage(userID: "9003", login: "viewer3", text: "!3"), in: "alpha_gm")
            _ = try await harness.awaitPoll(id, within: .seconds(30), "the first votes") { poll in
                poll.channelVotes("alpha_gm") == [5, 5, 0] && poll.channelVotes("beta_gm") == [4, 0, 0]
                    && poll.channelVotes("gamma_gm") == [0, 1, 1]
            }

            // ES-6: alpha's session moves to a new socket; nothing is lost, nothing resubscribed.
            let alphaSubscriptions = api.subscriptions(of: "alpha_gm").count
            api.sendSessionReconnect(to: "alpha_gm")
            try await harness.eventually(within: .seconds(30), "alpha's old socket closed") { api.openEventSubSockets == 2 }
            #expect(api.subscriptions(of: "alpha_gm").count == alphaSubscriptions)
            api.vote(in: "alpha_gm", choice: 2, votes: 4)

            // API-O1 + ES-7: beta's token expires, then its socket drops. Votes cast while it is down reach no
            // session; the new session (subscribed with a refreshed token) and a re-read of the poll recover them.
            let tokenCalls = api.requests.filter { $0 == "POST /oauth2/token" }.count
            api.expireAccessTokens(of: "beta_gm")
            api.closeEventSub(of: "beta_gm", code: nil)
            api.vote(in: "beta_gm", choice: 1, votes: 2)
            try await harness.eventually(within: .seconds(30), "beta resubscribed") {
                api.subscriptions(of: "beta_gm").filter { $0.status == "enabled" }.count == 3
            }
            #expect(api.requests.filter { $0 == "POST /oauth2/token" }.count == tokenCalls + 1)
            api.vote(in: "beta_gm", choice: 2, votes: 1)
            await irc.privmsg(SimulatedMessage(userID: "9004", login: "viewer4", text: "!1"), in: "gamma_gm")

            _ = try await harness.awaitPoll(id, within: .seconds(30), "every scripted vote") { poll in
                poll.channelVotes("alpha_gm") == [5, 5, 4] && poll.channelVotes("beta_gm") == [4, 2, 1]
                    && poll.channelVotes("gamma_gm") == [1, 1, 1]
            }
            // End now: Twitch's polls are terminated, and the result is the script's.
            let ended = try await harness.request("POST", "/api/v1/polls/\(id)/end")
            #expect(ended.status == 200, "\(ended.body)")
            let final = try await harness.awaitPoll(id, within: .seconds(30), "the final result") { $0.status == "ended" }
            #expect(final.votes == [10, 8, 6] && final.totalVotes == 24)
            #expect(final.channelVotes("alpha_gm") == [5, 5, 4])
            #expect(api.polls(of: "alpha_gm").first?.status == "TERMINATED" && api.polls(of: "beta_gm").first?.status == "TERMINATED")
            let health = try await harness.anonymous("GET", "/health").json["services"] as? [String: Any]
            #expect((health?["twitchAccounts"] as? [String: Any])?["status"] as? String == "ok")
        }
    }

    @Test("API-P3: mode native names the channels that cannot run one; a refused creation falls back to chat and says why")
    func nativeRefusalsAndFallback() async throws {
        try await TwitchConnectTests.withConnectableDaemon { harness, api, _ in
            for login in ["alpha_gm", "gamma_gm"] {
                #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": login]).status == 201)
            }
            let browser = TwitchBrowser()
            #expect(try await TwitchConnectTests.connect("alpha_gm", harness: harness, api: api, browser: browser).status == 200)
            await browser.close()
            let draft: [String: Any] = ["title": "Q?", "options": ["A", "B"], "durationSeconds": 30, "mode": "native"]
            let refused = try await harness.request("POST", "/api/v1/polls", json: draft.merging(["channels": ["alpha_gm", "gamma_gm"]]) { $1 })
            #expect(refused.status == 422)
            #expect(refused.errorFields["channels[1]"]?.contains("gamma_gm has no connected Twitch account") == true)
            #expect(refused.errorFields["channels[0]"] == nil)
            // Twitch refuses the native poll (another one already runs there): the channel votes in chat instead.
            api.failNextHelixRequests(with: [400], path: "/helix/polls")
            let started = try await harness.request("POST", "/api/v1/polls", json: draft.merging(["channels": ["alpha_gm"], "mode": "auto"]) { $1 })
            try #require(started.status == 201, "\(started.body)")
            let channel = try #require((started.json["channels"] as? [[String: Any]])?.first)
            #expect(channel["mode"] as? String == "chat")
            #expect((channel["nativeError"] as? String)?.contains("Twitch refused the poll (400)") == true)
        }
    }
}
