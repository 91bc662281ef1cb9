import Crypto
import EventSub
import Foundation
import Testing

/// Exactly-once delivery and webhook checks: de-duplication and the 10-minute window (ES-13, WH-4), the HMAC over the
/// raw body (WH-2), the challenge (WH-3).
@Suite struct EventSubDeliveryTests {
    static let now = TwitchTimestamp(rfc3339: "2026-11-29T12:00:00Z")!
    static let secret = "s3cret-for-tests"

    static func at(_ seconds: Int64) -> TwitchTimestamp {
        TwitchTimestamp(secondsSince1970: Self.now.secondsSince1970 + seconds)
    }

    @Test func aRepeatedMessageIdIsADuplicateAndAnOldOneIsStaleES13() {
        var guardian = EventSubReplayGuard()
        #expect(guardian.admit(id: "a", sentAt: Self.at(-5), now: Self.now) == .fresh)
        #expect(guardian.admit(id: "a", sentAt: Self.at(-5), now: Self.at(30)) == .duplicate)
        #expect(guardian.admit(id: "b", sentAt: Self.at(-601), now: Self.now) == .stale)
        #expect(guardian.admit(id: "c", sentAt: Self.at(601), now: Self.now) == .stale)
        #expect(guardian.admit(id: "d", sentAt: Self.at(-600), now: Self.now) == .fresh)
    }

    @Test func idsAreForgottenOnlyOnceTheirMessageWouldBeStaleAnywayES13() {
        var guardian = EventSubReplayGuard()
        for index in 0..<5_000 {
            #expect(guardian.admit(id: "m\(index)", sentAt: Self.at(Int64(index / 100)), now: Self.at(Int64(index / 100))) == .fresh)
        }
        #expect(guardian.count == 5_000)
        // 10 minutes after the first ones were sent, a resend of them is still caught.
        #expect(guardian.admit(id: "m0", sentAt: Self.at(0), now: Self.at(600)) == .duplicate)
        // Past the window they are stale whatever the memory says, and the memory is released.
        #expect(guardian.admit(id: "m0", sentAt: Self.at(0), now: Self.at(700)) == .stale)
        #expect(guardian.admit(id: "late", sentAt: Self.at(1_300), now: Self.at(1_300)) == .fresh)
        #expect(guardian.count == 1)
    }

    static func signature(id: String, timestamp: String, body: String, secret: String = Self.secret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array((id + timestamp + body).utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func headers(
        id: String = "msg-1",
        timestamp: String = "2026-11-29T11:59:58.123456789Z",
        body: String,
        signature: String? = nil
    )
        -> EventSubWebhook.Headers
    {
        EventSubWebhook.Headers(
            messageID: id,
            timestamp: timestamp,
            signature: signature ?? Self.signature(id: id, timestamp: timestamp, body: body),
            messageType: "notification"
        )
    }

    @Test func aDeliverySignedOverTheRawBodyIsAcceptedWH2() throws {
        let body = #"{"subscription":{"id":"s","type":"channel.poll.progress","version":"1","status":"enabled"},"event":{}}"#
        let webhook = EventSubWebhook(secret: Self.secret)
        let verified = try webhook.verify(Self.headers(body: body), body: Array(body.utf8), now: Self.now)
        #expect(verified.messageID == "msg-1")
        #expect(verified.messageType == "notification")
        #expect(verified.timestamp.nanoseconds == 123_456_789)
    }

    @Test(
        "WH-2 ES-13: a bad signature, another secret, a changed body, a missing header or a stale timestamp are refused",
        arguments: [
            "bad signature", "other secret", "body changed", "no signature", "stale", "future", "unreadable timestamp",
        ]
    )
    func refused(_ variant: String) {
        let body = #"{"event":{"votes":1}}"#
        var headers = Self.headers(body: body)
        var sent = body
        var expected = EventSubWebhook.Rejection.Code.badSignature
        switch variant {
        case "bad signature": headers.signature = "sha256=" + String(repeating: "0", count: 64)
        case "other secret": headers.signature = Self.signature(id: "msg-1", timestamp: headers.timestamp!, body: body, secret: "another-secret")
        case "body changed": sent = #"{"event":{"votes":9}}"#
        case "no signature":
            headers.signature = nil
            expected = .missingHeader
        case "stale", "future", "unreadable timestamp":
            let timestamp = ["stale": "2026-11-29T11:49:59Z", "future": "2026-11-29T12:10:01Z"][variant] ?? "noon"
            headers = Self.headers(timestamp: timestamp, body: body)
            expected = .staleTimestamp
        default: break
        }
        #expect(throws: EventSubWebhook.Rejection.self) {
            try EventSubWebhook(secret: Self.secret).verify(headers, body: Array(sent.utf8), now: Self.now)
        }
        do {
            _ = try EventSubWebhook(secret: Self.secret).verify(headers, body: Array(sent.utf8), now: Self.now)
        } catch {
            #expect(error.code == expected)
            #expect(!error.message.contains(Self.secret))
        }
    }

    @Test func theChallengeIsReturnedByteForByteWH3() throws {
        let body =
            #"{"challenge":"pogchamp-kappa-360noscope-vohiyo\u00e9","subscription":{"id":"f1c2","status":"webhook_callback_verification_pending"}}"#
        #expect(try EventSubWebhook.challenge(in: Array(body.utf8)) == "pogchamp-kappa-360noscope-vohiyoé")
        #expect(throws: EventSubDecodingError.self) { try EventSubWebhook.challenge(in: Array(#"{"subscription":{}}"#.utf8)) }
    }

    @Test func aReplayedWebhookIsVerifiedButThenIgnoredWH4() throws {
        let body = #"{"event":{}}"#
        let webhook = EventSubWebhook(secret: Self.secret)
        var guardian = EventSubReplayGuard()
        var verdicts: [EventSubReplayGuard.Verdict] = []
        for _ in 0..<2 {
            let verified = try webhook.verify(Self.headers(body: body), body: Array(body.utf8), now: Self.now)
            verdicts.append(guardian.admit(id: verified.messageID, sentAt: verified.timestamp, now: Self.now))
        }
        #expect(verdicts == [.fresh, .duplicate])
    }
}
