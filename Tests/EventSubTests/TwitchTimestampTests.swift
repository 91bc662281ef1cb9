import EventSub
import Foundation
import Testing

/// RFC 3339 timestamps with 0–9 fraction digits (ES-14).
@Suite struct TwitchTimestampTests {
    /// A timestamp string and the instant it denotes.
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let seconds: Int64
        let nanoseconds: Int32
        var testDescription: String { text }
    }

    @Test(
        "ES-14 timestamps Twitch sends parse to the nanosecond",
        arguments: [
            // source: twitchdev/twitch-cli#226, real Create EventSub Subscription response (`connected_at`, no fraction)
            Valid(text: "2023-04-11T18:08:24Z", seconds: 1_681_236_504, nanoseconds: 0),
            // source: a production `message_timestamp` (8 fraction digits), quoted in docs/twitch-protocol.md ES-13/14
            Valid(text: "2025-03-21T08:33:26.90092605Z", seconds: 1_742_546_006, nanoseconds: 900_926_050),
            // source: dev.twitch.tv/docs/eventsub/websocket-reference, session_welcome example (9 digits)
            Valid(text: "2022-11-16T10:11:12.634234626Z", seconds: 1_668_593_472, nanoseconds: 634_234_626),
            // source: docs/twitch-protocol.md ES-14 (the string ISO8601DateFormatter rejects with fractions on)
            Valid(text: "2020-10-11T10:11:12Z", seconds: 1_602_411_072, nanoseconds: 0),
            Valid(text: "2020-10-11T10:11:12.1Z", seconds: 1_602_411_072, nanoseconds: 100_000_000),
            Valid(text: "2020-10-11T10:11:12.12Z", seconds: 1_602_411_072, nanoseconds: 120_000_000),
            Valid(text: "2020-10-11T10:11:12.123Z", seconds: 1_602_411_072, nanoseconds: 123_000_000),
            Valid(text: "2020-10-11T10:11:12.1234Z", seconds: 1_602_411_072, nanoseconds: 123_400_000),
            Valid(text: "2020-10-11T10:11:12.12345Z", seconds: 1_602_411_072, nanoseconds: 123_450_000),
            Valid(text: "2020-10-11T10:11:12.123456Z", seconds: 1_602_411_072, nanoseconds: 123_456_000),
            Valid(text: "2020-10-11T10:11:12.1234567Z", seconds: 1_602_411_072, nanoseconds: 123_456_700),
            Valid(text: "2020-10-11T10:11:12.12345678Z", seconds: 1_602_411_072, nanoseconds: 123_456_780),
            Valid(text: "2020-10-11T10:11:12.123456789Z", seconds: 1_602_411_072, nanoseconds: 123_456_789),
            // more than nine digits: RFC 3339 allows them; digits past the nanosecond are dropped
            Valid(text: "2020-10-11T10:11:12.1234567891Z", seconds: 1_602_411_072, nanoseconds: 123_456_789),
            // offsets and the other spellings RFC 3339 permits
            Valid(text: "2020-10-11T12:11:12.5+02:00", seconds: 1_602_411_072, nanoseconds: 500_000_000),
            Valid(text: "2020-10-11T05:41:12-04:30", seconds: 1_602_411_072, nanoseconds: 0),
            Valid(text: "2020-10-11T10:11:12-00:00", seconds: 1_602_411_072, nanoseconds: 0),
            Valid(text: "2020-10-11t10:11:12z", seconds: 1_602_411_072, nanoseconds: 0),
            Valid(text: "2020-10-11 10:11:12Z", seconds: 1_602_411_072, nanoseconds: 0),
            Valid(text: "2024-02-29T23:59:59Z", seconds: 1_709_251_199, nanoseconds: 0),
            Valid(text: "1969-12-31T23:59:59.5Z", seconds: -1, nanoseconds: 500_000_000),
            Valid(text: "2016-12-31T23:59:60Z", seconds: 1_483_228_800, nanoseconds: 0),
        ]
    )
    func valid(_ valid: Valid) throws {
        let timestamp = try #require(TwitchTimestamp(rfc3339: valid.text))
        #expect(timestamp.secondsSince1970 == valid.seconds)
        #expect(timestamp.nanoseconds == valid.nanoseconds)
        let expected = Double(valid.seconds) + Double(valid.nanoseconds) / 1e9
        #expect(abs(timestamp.date.timeIntervalSince1970 - expected) < 1e-6)
    }

    @Test("ES-14 sub-millisecond precision survives into the Date")
    func subMillisecond() throws {
        let earlier = try #require(TwitchTimestamp(rfc3339: "2025-03-21T08:33:26.900926050Z"))
        let later = try #require(TwitchTimestamp(rfc3339: "2025-03-21T08:33:26.900956050Z"))
        #expect(earlier < later)
        let gap = later.date.timeIntervalSince(earlier.date)
        #expect(abs(gap - 0.000_03) < 1e-6)
    }

    @Test(
        "ES-14 invalid timestamps are rejected",
        arguments: [
            "",
            "2023-04-11",
            "2023-04-11T18:08:24",
            "2023-04-11T18:08:24.Z",
            "2023-04-11T18:08:24.123",
            "2023-04-11T18:08Z",
            "2023-4-11T18:08:24Z",
            "23-04-11T18:08:24Z",
            "2023-04-11X18:08:24Z",
            "2023-13-11T18:08:24Z",
            "2023-00-11T18:08:24Z",
            "2023-02-29T18:08:24Z",
            "2023-04-31T18:08:24Z",
            "2023-04-00T18:08:24Z",
            "2023-04-11T24:00:00Z",
            "2023-04-11T18:60:24Z",
            "2023-04-11T18:08:61Z",
            "2023-04-11T18:08:24+0200",
            "2023-04-11T18:08:24+24:00",
            "2023-04-11T18:08:24+02:60",
            "2023-04-11T18:08:24ZZ",
            "2023-04-11T18:08:24Z ",
            " 2023-04-11T18:08:24Z",
            "2023-04-11T18:08:24.12a4Z",
            "２０２３-04-11T18:08:24Z",
            "1681236504",
        ]
    )
    func invalid(_ text: String) {
        #expect(TwitchTimestamp(rfc3339: text) == nil)
    }

    @Test("ES-14 formatting round-trips and trims trailing zeros")
    func roundTrip() throws {
        for text in ["2023-04-11T18:08:24Z", "2025-03-21T08:33:26.90092605Z", "2022-11-16T10:11:12.634234626Z", "1969-12-31T23:59:59.5Z"] {
            let timestamp = try #require(TwitchTimestamp(rfc3339: text))
            #expect(timestamp.description == text)
            #expect(TwitchTimestamp(rfc3339: timestamp.description) == timestamp)
        }
        #expect(try #require(TwitchTimestamp(rfc3339: "2020-10-11T12:11:12.500+02:00")).description == "2020-10-11T10:11:12.5Z")
    }

    @Test("ES-14 decodes from and encodes to JSON strings")
    func codable() throws {
        struct Session: Codable {
            let connected_at: TwitchTimestamp
        }
        let json = Data(#"{"connected_at":"2025-03-21T08:33:26.90092605Z"}"#.utf8)
        let session = try JSONDecoder().decode(Session.self, from: json)
        #expect(session.connected_at.nanoseconds == 900_926_050)
        let encoded = try JSONEncoder().encode(session)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"connected_at":"2025-03-21T08:33:26.90092605Z"}"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Session.self, from: Data(#"{"connected_at":"yesterday"}"#.utf8))
        }
    }

    @Test("ES-14 the parts initialiser normalises nanoseconds")
    func normalisation() {
        let carried = TwitchTimestamp(secondsSince1970: 10, nanoseconds: 1_500_000_000)
        #expect(carried == TwitchTimestamp(secondsSince1970: 11, nanoseconds: 500_000_000))
        let borrowed = TwitchTimestamp(secondsSince1970: 10, nanoseconds: -1)
        #expect(borrowed == TwitchTimestamp(secondsSince1970: 9, nanoseconds: 999_999_999))
    }
}
