import Crypto
import Foundation
import NIOHTTP1
import TestSupport
import Testing
import TwitchSimulator

/// `POST /eventsub/webhook` on a daemon with `EVENTSUB_TRANSPORT=webhook`: subscriptions created with an app token,
/// the challenge answered byte-exact (WH-3), a valid signature accepted once (WH-2, WH-4, ES-13), a replay, a stale
/// timestamp and a bad signature changing nothing.
@Suite struct EventSubWebhookTests {
    static let secret = "webhook-secret-for-tests-42"

    static func sign(id: String, timestamp: String, body: String, secret: String = Self.secret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array((id + timestamp + body).utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A `channel.poll.progress` notification body for poll `pollID` of `broadcasterID`.
    static func progress(pollID: String, broadcasterID: String, votes: [Int]) -> String {
        let choices = votes.enumerated().map { index, count in
            "{\"id\":\"c\(index)\",\"title\":\"Option \(index)\",\"votes\":\(count),\"channel_points_votes\":0,\"bits_votes\":0}"
        }.joined(separator: ",")
        return """
            {"subscription":{"id":"sub-1","status":"enabled","type":"channel.poll.progress","version":"1","cost":0,\
            "condition":{"broadcaster_user_id":"\(broadcasterID)"},"transport":{"method":"webhook","callback":"https://tumulte.example/eventsub/webhook"},\
            "created_at":"2026-11-29T12:00:00.123456789Z"},"event":{"id":"\(pollID)","broadcaster_user_id":"\(broadcasterID)",\
            "broadcaster_user_login":"alpha_gm","broadcaster_user_name":"alpha_gm","title":"Which door?","choices":[\(choices)],\
            "bits_voting":{"is_enabled":false,"amount_per_vote":0},"channel_points_voting":{"is_enabled":true,"amount_per_vote":100},\
            "started_at":"2026-11-29T12:00:00.5Z","ends_at":"2026-11-29T12:01:00.5Z"}}
            """
    }

    @Test("WH-2 WH-3 WH-4 ES-13: challenge byte-exact, a signed delivery counted once, replay, stale and forged ones ignored or 403")
    func deliveries() async throws {
        let settings = [
            "EVENTSUB_TRANSPORT": "webhook", "EVENTSUB_WEBHOOK_SECRET": Self.secret,
            "EVENTSUB_CALLBACK_URL": "https://tumulte.example/eventsub/webhook",
        ]
        try await TwitchConnectTests.withConnectableDaemon(settings: settings) { harness, api, _ in
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"]).status == 201)
            let browser = TwitchBrowser()
            #expect(try await TwitchConnectTests.connect("alpha_gm", harness: harness, api: api, browser: browser).status == 200)
            await browser.close()
            // The daemon subscribes with an app token and its public callback; no WebSocket session is opened.
            try await harness.eventually(within: .seconds(30), "three webhook subscriptions") {
                api.subscriptions(of: "alpha_gm").filter { $0.status == "enabled" }.count == 3
            }
            #expect(api.openEventSubSockets == 0)
            let started = try await harness.request(
                "POST",
                "/api/v1/polls",
                json: ["title": "Which door?", "options": ["Left", "Right"], "durationSeconds": 60, "channels": ["alpha_gm"]]
            )
            try #require(started.status == 201, "\(started.body)")
            let id = try #require(started.json["id"] as? String)
            let twitchPoll = try #require(api.polls(of: "alpha_gm").first?.id)
            let broadcaster = try #require(api.userID(of: "alpha_gm"))

            func deliver(
                id messageID: String,
                type: String = "notification",
                at date: Date = Date(),
                body: String,
                signature: String? = nil
            ) async throws
                -> PollHarness.Reply
            {
                let stamp = Self.timestamp(date)
                return try await harness.request(
                    "POST",
                    "/eventsub/webhook",
                    rawBody: body,
                    headers: [
                        "Twitch-Eventsub-Message-Id": messageID, "Twitch-Eventsub-Message-Timestamp": stamp,
                        "Twitch-Eventsub-Message-Signature": signature ?? Self.sign(id: messageID, timestamp: stamp, body: body),
                        "Twitch-Eventsub-Message-Type": type, "Content-Type": "application/json",
                    ],
                    key: .none
                )
            }

            // WH-3: the challenge, and nothing else, as the body.
            let challenge = "pogchamp-kappa-360noscope-vohiyo"
            let verification = try await deliver(
                id: "m-challenge",
                type: "webhook_callback_verification",
                body: "{\"challenge\":\"\(challenge)\",\"subscription\":{\"id\":\"sub-1\",\"status\":\"webhook_callback_verification_pending\"}}"
            )
            #expect(verification.status == 200 && verification.body == challenge)
            #expect(verification.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)

            // WH-2: a signed delivery is applied.
            let first = try await deliver(id: "m-1", body: Self.progress(pollID: twitchPoll, broadcasterID: broadcaster, votes: [3, 1]))
            #expect(first.status == 204)
            _ = try await harness.awaitPoll(id, within: .seconds(10), "the first delivery") { $0.channelVotes("alpha_gm") == [3, 1] }

            // ES-13, WH-4: the same message id again (even with other content) is acknowledged and ignored; a stale
            // timestamp and a forged signature are refused with 403.
            let replay = try await deliver(id: "m-1", body: Self.progress(pollID: twitchPoll, broadcasterID: broadcaster, votes: [9, 9]))
            #expect(replay.status == 204)
            let stale = try await deliver(
                id: "m-2",
                at: Date().addingTimeInterval(-11 * 60),
                body: Self.progress(pollID: twitchPoll, broadcasterID: broadcaster, votes: [20, 20])
            )
            #expect(stale.status == 403)
            let forgedBody = Self.progress(pollID: twitchPoll, broadcasterID: broadcaster, votes: [30, 30])
            let forged = try await deliver(
                id: "m-3",
                body: forgedBody,
                signature: Self.sign(id: "m-3", timestamp: Self.timestamp(Date()), body: forgedBody, secret: "not-the-secret-0000")
            )
            #expect(forged.status == 403 && forged.error["code"] as? String == "webhook_bad_signature")
            // A later genuine delivery lands; none of the refused or repeated ones ever did.
            #expect(try await deliver(id: "m-4", body: Self.progress(pollID: twitchPoll, broadcasterID: broadcaster, votes: [4, 2])).status == 204)
            let poll = try await harness.awaitPoll(id, within: .seconds(10), "the later delivery") { $0.channelVotes("alpha_gm") == [4, 2] }
            #expect(poll.totalVotes == 6)
        }
    }

    @Test("without the webhook transport, POST /eventsub/webhook is a 404")
    func notConfigured() async throws {
        try await TwitchConnectTests.withConnectableDaemon { harness, _, _ in
            let reply = try await harness.request("POST", "/eventsub/webhook", rawBody: "{}", key: .none)
            #expect(reply.status == 404)
        }
    }
}
