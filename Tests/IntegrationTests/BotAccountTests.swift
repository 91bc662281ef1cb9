import Foundation
import TestSupport
import Testing
import TwitchSimulator

/// The bot account: connected with `?role=bot` (scopes `chat:read chat:edit`), chat logs in as it at once, without
/// losing a vote of the poll running meanwhile, and again after a restart (IRC-L1); polls are announced in chat when
/// they start and when their result is written.
@Suite struct BotAccountTests {
    @Test("IRC-L1 IRC-S2: a bot connected by OAuth takes chat over mid-poll without losing a vote, and announces polls")
    func botAnnouncesPolls() async throws {
        try await TwitchConnectTests.withConnectableDaemon { harness, api, irc in
            api.addUser(login: "tumulte_bot", displayName: "Tumulte_Bot")
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "gamma_gm"]).status == 201)
            try await irc.waitForJoined(["gamma_gm"], timeout: .seconds(30))
            #expect(irc.connections().allSatisfy { $0.isAnonymous })

            // A poll runs, read anonymously, while the bot takes over.
            let before = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Before the bot?", "options": ["Left", "Right"], "durationSeconds": 120, "channels": ["gamma_gm"]]
            )
            try #require(before.status == 201, "\(before.body)")
            let beforeID = try #require(before.json["id"] as? String)
            await irc.privmsg(SimulatedMessage(userID: "8101", login: "early1", text: "!1"), in: "gamma_gm")
            await irc.privmsg(SimulatedMessage(userID: "8102", login: "early2", text: "!1"), in: "gamma_gm")

            let browser = TwitchBrowser()
            api.authorizeNext(as: "tumulte_bot")
            let start = try await browser.get(harness.base + "/auth/twitch?role=bot")
            let authorize = try #require(start.location)
            #expect(authorize.contains("scope=chat%3Aread%20chat%3Aedit"))
            let callback = try #require(try await browser.get(authorize).location)
            let page = try await browser.get(callback)
            await browser.close()
            #expect(page.status == 200 && page.body.contains("tumulte_bot is tumulte&#39;s bot account"), "\(page.body)")
            // The bot is not a channel.
            let channels = try await harness.request("GET", "/api/v1/channels").json["channels"] as? [[String: Any]] ?? []
            #expect(channels.map { $0["login"] as? String } == ["gamma_gm"])

            // Sent while the anonymous connection is being replaced by the bot's.
            await irc.privmsg(SimulatedMessage(userID: "8103", login: "during", text: "!2"), in: "gamma_gm")
            try await Self.awaitBotOnly(irc, harness: harness)
            await irc.privmsg(SimulatedMessage(userID: "8104", login: "after", text: "!1"), in: "gamma_gm")
            _ = try await harness.awaitPoll(beforeID, within: .seconds(20), "four votes") { $0.totalVotes == 4 }
            #expect(try await harness.request("POST", "/api/v1/polls/\(beforeID)/end").status == 200)
            try await harness.eventually(within: .seconds(20), "the first result announcement") {
                irc.clientMessages().contains {
                    $0.channel == "gamma_gm" && $0.text == "📊 Before the bot? — winner: Left (3 votes, 75.0 %) of 4 votes."
                }
            }

            let started = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Which door?", "options": ["Left", "Right"], "durationSeconds": 30, "channels": ["gamma_gm"]]
            )
            try #require(started.status == 201, "\(started.body)")
            let id = try #require(started.json["id"] as? String)
            try await harness.eventually(within: .seconds(10), "the start announcement") {
                irc.clientMessages().contains { $0.channel == "gamma_gm" && $0.text == "📊 Which door? — vote with !1 Left · !2 Right (30 s)" }
            }
            await irc.privmsg(SimulatedMessage(userID: "8001", login: "viewer1", text: "!2"), in: "gamma_gm")
            await irc.privmsg(SimulatedMessage(userID: "8002", login: "viewer2", text: "!2"), in: "gamma_gm")
            await irc.privmsg(SimulatedMessage(userID: "8003", login: "viewer3", text: "!1"), in: "gamma_gm")
            _ = try await harness.awaitPoll(id, within: .seconds(20), "three votes") { $0.totalVotes == 3 }
            #expect(try await harness.request("POST", "/api/v1/polls/\(id)/end").status == 200)
            try await harness.eventually(within: .seconds(20), "the result announcement") {
                irc.clientMessages().contains {
                    $0.channel == "gamma_gm" && $0.text == "📊 Which door? — winner: Right (2 votes, 66.7 %) of 3 votes."
                }
            }
            #expect(irc.clientMessages().allSatisfy { $0.login == "tumulte_bot" })
            let health = try JSONSerialization.jsonObject(with: Data(try await harness.anonymous("GET", "/health").body.utf8)) as? [String: Any]
            let accounts = (health?["services"] as? [String: Any])?["twitchAccounts"] as? [String: Any]
            #expect(accounts?["status"] as? String == "ok")
            #expect((accounts?["bot"] as? [String: Any])?["login"] as? String == "tumulte_bot")

            // A daemon that starts reads the bot account first and joins as the bot only, never anonymously before.
            try await harness.kill()
            let joinsBefore = irc.joinLog().count
            try await harness.restart()
            try await Self.awaitBotOnly(irc, harness: harness)
            let joins = irc.joinLog().dropFirst(joinsBefore)
            #expect(!joins.isEmpty && joins.allSatisfy { $0.login == "tumulte_bot" }, "\(joins.map { $0.login ?? "-" })")
        }
    }

    /// Waits until chat is read only by the bot's connections, joined to `gamma_gm`.
    static func awaitBotOnly(_ irc: IRCSimulator, harness: PollHarness) async throws {
        do {
            try await irc.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.contains { $0.login == "tumulte_bot" && $0.joinedChannels.contains("gamma_gm") }
                    && snapshot.connections.allSatisfy { $0.login == "tumulte_bot" }
            }
        } catch {
            Issue.record("daemon output:\n\(harness.daemon.output.suffix(30).joined(separator: "\n"))\nconnections: \(irc.connections())")
            throw error
        }
    }
}
