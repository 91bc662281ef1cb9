import Foundation
import NIOHTTP1
import PostgresNIO
import TestSupport
import Testing
import TwitchSimulator

/// The GM API's answers over a real socket: every error status with its JSON body, idempotent starts, history pages,
/// channel management, end-now and cancel.
@Suite(.serialized) struct PollAPITests {
    static var draft: [String: Any] { ["title": "Open the door?", "options": ["Yes", "No"], "channels": ["alpha_gm"], "durationSeconds": 60] }

    static func addChannels(_ harness: PollHarness, _ logins: [String]) async throws {
        for login in logins {
            let reply = try await harness.request("POST", "/api/v1/channels", json: ["login": login])
            #expect(reply.status == 201, "adding \(login): \(reply.body)")
        }
    }

    @Test("401, 403, 400, 404, 409, 413, 422 and 429 each answer their JSON error")
    func errors() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            try await Self.addChannels(harness, ["alpha_gm", "bravo_gm"])

            let missing = try await harness.anonymous("GET", "/api/v1/polls")
            #expect(missing.status == 401)
            #expect(missing.error["code"] as? String == "unauthorized")
            #expect(missing.headers["WWW-Authenticate"].first == "Bearer")
            let unknown = try await harness.request("GET", "/api/v1/polls", key: "tml_" + String(repeating: "x", count: 43))
            #expect(unknown.status == 401)

            let doomed = try await harness.createAPIKey(name: "doomed")
            #expect(try await harness.request("GET", "/api/v1/polls", key: doomed).status == 200)
            try await harness.revokeAPIKey(name: "doomed")
            let revoked = try await harness.request("GET", "/api/v1/polls", key: doomed)
            #expect(revoked.status == 403)
            #expect(revoked.error["code"] as? String == "api_key_revoked")

            let notJSON = try await harness.request("POST", "/api/v1/polls", rawBody: "{title: nope")
            #expect(notJSON.status == 400)
            #expect(notJSON.error["code"] as? String == "invalid_json")

            let tooLarge = try await harness.request("POST", "/api/v1/polls", rawBody: String(repeating: "x", count: 70_000))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.error["code"] as? String == "body_too_large")

            let invalid = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "", "options": ["Yes", "yes", 3], "durationSeconds": 5, "channels": ["ab"], "mode": "x", "voteRule": "y"]
            )
            #expect(invalid.status == 422)
            #expect(invalid.error["code"] as? String == "validation_failed")
            #expect(
                Set(invalid.errorFields.keys) == ["title", "options[1]", "options[2]", "durationSeconds", "channels[0]", "mode", "voteRule"]
            )
            let unknownChannel = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "t", "options": ["a", "b"], "channels": ["alpha_gm", "zulu_gm"]]
            )
            #expect(unknownChannel.status == 422)
            #expect(unknownChannel.errorFields["channels[1]"]?.contains("not a known channel") == true)
            let native = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "t", "options": ["a", "b"], "channels": ["alpha_gm"], "mode": "native"]
            )
            #expect(native.status == 422)
            #expect(native.errorFields["channels[0]"]?.contains("no connected Twitch account") == true)

            let first = try await harness.request("POST", "/api/v1/polls", json: Self.draft)
            #expect(first.status == 201)
            let firstID = try #require(first.json["id"] as? String)
            let busy = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Other", "options": ["a", "b"], "channels": ["bravo_gm", "alpha_gm"]]
            )
            #expect(busy.status == 409)
            #expect(busy.error["code"] as? String == "channel_busy")
            #expect(busy.errorFields == ["channels.alpha_gm": "already in running poll \(firstID)"])
            #expect((busy.error["message"] as? String)?.contains(firstID) == true)

            let missingPoll = try await harness.request("GET", "/api/v1/polls/\(UUID().uuidString.lowercased())")
            #expect(missingPoll.status == 404)
            #expect(missingPoll.error["code"] as? String == "not_found")
            #expect(try await harness.request("GET", "/api/v1/polls/not-a-uuid").status == 404)
            let badQuery = try await harness.request("GET", "/api/v1/polls?limit=0&status=done")
            #expect(badQuery.status == 422)
            #expect(Set(badQuery.errorFields.keys) == ["limit", "status"])
            #expect(try await harness.request("GET", "/api/v1/polls?cursor=bogus").status == 422)

            // 20 poll starts per minute per key (valid requests; a 409 counts too); the 21st is refused with Retry-After.
            // Windows are whole minutes of the system clock: a run that straddles one is repeated with a fresh key.
            var statuses: [Int] = []
            var inOneMinute: PollHarness.Reply?
            for attempt in 0..<2 where inOneMinute == nil {
                let busyKey = try await harness.createAPIKey(name: "eager-\(attempt)")
                let minute = Int(Date().timeIntervalSince1970) / 60
                statuses = []
                for _ in 0..<21 {
                    statuses.append(try await harness.request("POST", "/api/v1/polls", json: Self.draft, key: busyKey).status)
                }
                let last = try await harness.request("POST", "/api/v1/polls", json: Self.draft, key: busyKey)
                if Int(Date().timeIntervalSince1970) / 60 == minute { inOneMinute = last }
            }
            let limited = try #require(inOneMinute, "two runs of 22 requests each straddled a minute")
            #expect(statuses.prefix(20).allSatisfy { $0 == 409 })
            #expect(statuses.last == 429)
            #expect(limited.status == 429)
            #expect(limited.error["code"] as? String == "rate_limited")
            let retryAfter = try #require(limited.headers["Retry-After"].first.flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            // Other keys are not affected.
            #expect(try await harness.request("GET", "/api/v1/polls").status == 200)
            try await harness.stop()
        }
    }

    @Test("Idempotency-Key: a retry returns the same poll, another body under the key is refused; history pages by cursor")
    func idempotencyAndHistory() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            try await Self.addChannels(harness, ["alpha_gm", "bravo_gm", "charlie_gm"])
            let headers = ["Idempotency-Key": "start-42"]
            let first = try await harness.request("POST", "/api/v1/polls", json: Self.draft, headers: headers)
            #expect(first.status == 201)
            let again = try await harness.request("POST", "/api/v1/polls", json: Self.draft, headers: headers)
            #expect(again.status == 200)
            #expect(again.headers["Idempotent-Replayed"].first == "true")
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            var other = Self.draft
            other["title"] = "Another question"
            let reused = try await harness.request("POST", "/api/v1/polls", json: other, headers: headers)
            #expect(reused.status == 409)
            #expect(reused.error["code"] as? String == "idempotency_key_reused")

            let second = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Second", "options": ["a", "b", "c"], "channels": ["bravo_gm"]]
            )
            let third = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Third", "options": ["a", "b"], "channels": ["charlie_gm"], "voteRule": "standard"]
            )
            #expect(second.status == 201 && third.status == 201)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/polls?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await harness.request("GET", path)
                #expect(page.status == 200)
                let polls = try #require(page.json["polls"] as? [[String: Any]])
                #expect(polls.count <= 2)
                seen += polls.compactMap { $0["id"] as? String }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil
            let expected = [third, second, first].compactMap { $0.json["id"] as? String }
            #expect(seen == expected)
            let running = try await harness.request("GET", "/api/v1/polls?status=running")
            #expect((running.json["polls"] as? [[String: Any]])?.count == 3)
            #expect((try await harness.request("GET", "/api/v1/polls?status=ended").json["polls"] as? [[String: Any]])?.isEmpty == true)
            try await harness.stop()
        }
    }

    @Test("channels: case-folded add, repeat add is 200, list, overlay-token rotation changes the URL, remove is 204 then 404")
    func channels() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let added = try await harness.request("POST", "/api/v1/channels", json: ["login": "Delta_GM"])
            #expect(added.status == 201)
            #expect(added.json["login"] as? String == "delta_gm")
            let url = try #require(added.json["overlayUrl"] as? String)
            #expect(url.hasPrefix("\(harness.base)/overlay/") && url.count == harness.base.count + "/overlay/".count + 22)
            let repeated = try await harness.request("POST", "/api/v1/channels", json: ["login": "delta_gm"])
            #expect(repeated.status == 200)
            #expect(repeated.json["overlayUrl"] as? String == url)
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "no"]).errorFields.keys.contains("login"))
            #expect(try await harness.request("POST", "/api/v1/channels", json: [:]).errorFields["login"] == "is required")
            // Chat joins what the list holds.
            try await simulator.waitForJoined(["delta_gm"], timeout: .seconds(30))

            let rotated = try await harness.request("POST", "/api/v1/channels/delta_gm/overlay-token")
            #expect(rotated.status == 200)
            let newURL = try #require(rotated.json["overlayUrl"] as? String)
            #expect(newURL != url)
            let list = try await harness.request("GET", "/api/v1/channels")
            let channels = try #require(list.json["channels"] as? [[String: Any]])
            #expect(channels.map { $0["login"] as? String } == ["delta_gm"])
            #expect(channels.first?["overlayUrl"] as? String == newURL)

            #expect(try await harness.request("DELETE", "/api/v1/channels/delta_gm").status == 204)
            #expect(try await harness.request("DELETE", "/api/v1/channels/delta_gm").status == 404)
            #expect(try await harness.request("POST", "/api/v1/channels/delta_gm/overlay-token").status == 404)
            // Removed and no poll uses it: chat parts it.
            try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.allSatisfy { !$0.joinedChannels.contains("delta_gm") }
            }
            try await harness.stop()
        }
    }

    /// The chat messages the daemon has read, from `/metrics`.
    static func chatMessages(_ harness: PollHarness) async throws -> Int {
        let metrics = try await harness.anonymous("GET", "/metrics").body
        return metrics.split(separator: "\n").first { $0.hasPrefix("tumulte_chat_messages_total ") }
            .flatMap { $0.split(separator: " ").last.flatMap { Int($0) } } ?? 0
    }

    @Test("end-now: results are written like a natural end, and a vote sent after it is not counted")
    func endNow() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            try await Self.addChannels(harness, ["alpha_gm"])
            let started = try await harness.request("POST", "/api/v1/polls", json: Self.draft)
            let id = try #require(started.json["id"] as? String)
            try await simulator.waitForJoined(["alpha_gm"], timeout: .seconds(30))
            for (index, option) in [1, 2, 2, 1, 2].enumerated() {
                await simulator.privmsg(SimulatedMessage(userID: "\(index)", login: "viewer\(index)", text: "!\(option)"), in: "alpha_gm")
            }
            _ = try await harness.awaitPoll(id, "5 votes") { $0.totalVotes == 5 }

            // While the end waits out its grace period, a vote sent after the end is refused by the window.
            async let ending = harness.request("POST", "/api/v1/polls/\(id)/end")
            let plannedEnd = try #require((started.json["endsAt"] as? String).flatMap(PollLifecycleTests.milliseconds))
            _ = try await harness.awaitPoll(id, "the window to close early") {
                ($0["endsAt"] as? String).flatMap(PollLifecycleTests.milliseconds).map { $0 < plannedEnd } ?? false
            }
            await simulator.privmsg(SimulatedMessage(userID: "98", login: "tardy", text: "!1"), in: "alpha_gm")
            let ended = try await ending
            #expect(ended.status == 200)
            #expect(ended.json.status == "ended")
            #expect(ended.json.votes == [2, 3])
            #expect(ended.json.winners == [1])
            let endsAt = try #require((ended.json["endsAt"] as? String).flatMap(PollLifecycleTests.milliseconds))
            let startedAt = try #require((ended.json["startedAt"] as? String).flatMap(PollLifecycleTests.milliseconds))
            #expect(endsAt - startedAt < 60_000)

            let readBefore = try await Self.chatMessages(harness)
            await simulator.privmsg(SimulatedMessage(userID: "99", login: "late", text: "!1"), in: "alpha_gm")
            try await harness.eventually(within: .seconds(10), "the late vote to be read") {
                try await Self.chatMessages(harness) > readBefore
            }
            let after = try await harness.request("GET", "/api/v1/polls/\(id)")
            #expect(after.json.votes == [2, 3])
            #expect(try await harness.request("POST", "/api/v1/polls/\(id)/end").status == 409)

            let uuid = try #require(UUID(uuidString: id))
            try await harness.withDatabase { client in
                let rows = try await client.query("SELECT status, end_reason, votes FROM polls WHERE id = \(uuid)")
                for try await (status, reason, votes) in rows.decode((String, String, [Int64]).self) {
                    #expect(status == "ended")
                    #expect(reason == "ended_early")
                    #expect(votes == [2, 3])
                }
            }
            try await harness.stop()
        }
    }

    @Test("cancel: status cancelled at once, the tally is kept in the API and PostgreSQL, a second cancel is 409")
    func cancel() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            try await Self.addChannels(harness, ["alpha_gm"])
            let started = try await harness.request("POST", "/api/v1/polls", json: Self.draft)
            let id = try #require(started.json["id"] as? String)
            try await simulator.waitForJoined(["alpha_gm"], timeout: .seconds(30))
            for index in 0..<3 {
                await simulator.privmsg(SimulatedMessage(userID: "\(index)", login: "viewer\(index)", text: "!1"), in: "alpha_gm")
            }
            _ = try await harness.awaitPoll(id, "3 votes") { $0.totalVotes == 3 }
            let cancelled = try await harness.request("POST", "/api/v1/polls/\(id)/cancel")
            #expect(cancelled.status == 200)
            #expect(cancelled.json.status == "cancelled")
            #expect(cancelled.json.votes == [3, 0])
            #expect((cancelled.json["channels"] as? [[String: Any]])?.first?["status"] as? String == "cancelled")
            let again = try await harness.request("POST", "/api/v1/polls/\(id)/cancel")
            #expect(again.status == 409)
            #expect(again.error["code"] as? String == "poll_not_running")
            // The channel is free again.
            #expect(try await harness.request("POST", "/api/v1/polls", json: Self.draft).status == 201)

            let uuid = try #require(UUID(uuidString: id))
            try await harness.withDatabase { client in
                let rows = try await client.query("SELECT status, total_votes, end_reason FROM polls WHERE id = \(uuid)")
                for try await (status, total, reason) in rows.decode((String, Int64, String).self) {
                    #expect(status == "cancelled")
                    #expect(total == 3)
                    #expect(reason == "cancelled")
                }
            }
            try await harness.stop()
        }
    }
}
