import EventSub
import Testing

/// Decoding EventSub WebSocket frames as Twitch documents them (ES-2, ES-6, ES-8, ES-13, ES-14, ES-15, SUB-1…4).
@Suite struct EventSubMessageTests {
    static func frame(_ text: String) throws(EventSubDecodingError) -> EventSubMessage {
        try EventSubMessage(json: Array(text.utf8))
    }

    static func metadata(
        _ type: String,
        id: String = "rPG-d8pxdPv4BJpNS4ltzpUpK8Akwu5Qto1r8biLCPY=",
        timestamp: String = "2023-07-19T14:56:51.634234626Z"
    )
        -> String
    {
        #"{"message_id":"\#(id)","message_type":"\#(type)","message_timestamp":"\#(timestamp)"}"#
    }

    @Test func welcomeGivesTheSessionIdAndKeepaliveAndToleratesExtraFieldsES2() throws {
        let message = try Self.frame(
            #"{"metadata":\#(Self.metadata("session_welcome")),"payload":{"session":{"id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB","status":"connected","connected_at":"2023-07-19T14:56:51.616329898Z","keepalive_timeout_seconds":10,"reconnect_url":null,"recovery_url":null}}}"#
        )
        #expect(message.kind == .welcome(EventSubSession(id: "AQoQexAWVYKSTIu4ec_2VAxyuhAB", status: "connected", keepaliveTimeoutSeconds: 10)))
        #expect(message.metadata.messageID == "rPG-d8pxdPv4BJpNS4ltzpUpK8Akwu5Qto1r8biLCPY=")
        #expect(message.metadata.messageTimestamp.nanoseconds == 634_234_626)
    }

    @Test func keepaliveHasAnEmptyPayloadES5() throws {
        #expect(try Self.frame(#"{"metadata":\#(Self.metadata("session_keepalive")),"payload":{}}"#).kind == .keepalive)
    }

    @Test func reconnectKeepsTheReconnectURLAsIsES6() throws {
        let url = "wss://cell-a.eventsub.wss.twitch.tv/ws?challenge=4b5d-11e9&id=AQoQ%2Bexample"
        let message = try Self.frame(
            #"{"metadata":\#(Self.metadata("session_reconnect")),"payload":{"session":{"id":"AQoQ","status":"reconnecting","keepalive_timeout_seconds":null,"reconnect_url":"\#(url)","connected_at":"2022-11-16T10:11:12Z"}}}"#
        )
        guard case .reconnect(let session) = message.kind else {
            Issue.record("expected a reconnect, got \(message.kind)")
            return
        }
        #expect(session.reconnectURL == url)
        #expect(session.keepaliveTimeoutSeconds == nil)
    }

    @Test func pollProgressCarriesRunningTotalsWithChannelPointsInsideVotesSUB2SUB4() throws {
        let message = try Self.frame(
            #"""
            {"metadata":{"message_id":"befa7b53-d79d-478f-86b9-120f112b044e","message_type":"notification","message_timestamp":"2019-11-16T10:11:12.464757833Z","subscription_type":"channel.poll.progress","subscription_version":"1"},
             "payload":{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"enabled","type":"channel.poll.progress","version":"1","cost":0,
               "condition":{"broadcaster_user_id":"1337"},"transport":{"method":"websocket","session_id":"AQoQ"},"created_at":"2019-11-16T10:11:12.464757833Z"},
              "event":{"id":"1243456","broadcaster_user_id":"1337","broadcaster_user_login":"cool_user","broadcaster_user_name":"Cool_User","title":"Aren't shoes just really hard socks?",
               "choices":[{"id":"123","title":"Yeah!","bits_votes":5,"channel_points_votes":7,"votes":12},{"id":"124","title":"No!","bits_votes":10,"channel_points_votes":4,"votes":14},{"id":"125","title":"Maybe!","bits_votes":0,"channel_points_votes":7,"votes":7}],
               "bits_voting":{"is_enabled":true,"amount_per_vote":10},"channel_points_voting":{"is_enabled":true,"amount_per_vote":10},
               "started_at":"2020-07-15T17:16:03.17106713Z","ends_at":"2020-07-15T17:16:08Z","future_field":{"x":1}}}}
            """#
        )
        guard case .notification(let notification) = message.kind, case .pollProgress(let poll) = notification.event else {
            Issue.record("expected a poll progress notification, got \(message.kind)")
            return
        }
        #expect(notification.subscription.broadcasterUserID == "1337")
        #expect(notification.subscription.type == "channel.poll.progress")
        // `votes` already counts channel-points and Bits votes: never add them again.
        #expect(poll.votes == [12, 14, 7])
        #expect(poll.choices.map(\.channelPointsVotes) == [7, 4, 7])
        #expect(poll.broadcasterUserLogin == "cool_user")
        #expect(poll.endsAt == TwitchTimestamp(rfc3339: "2020-07-15T17:16:08Z"))
    }

    @Test func pollBeginHasNoCountsAndPollEndHasStatusAndEndedAtSUB1SUB3() throws {
        func notification(_ type: String, _ event: String) throws -> EventSubEvent? {
            let message = try Self.frame(
                #"{"metadata":\#(Self.metadata("notification")),"payload":{"subscription":{"id":"s","status":"enabled","type":"\#(type)","version":"1","condition":{"broadcaster_user_id":"1"}},"event":\#(event)}}"#
            )
            guard case .notification(let notification) = message.kind else { return nil }
            return notification.event
        }
        let begin = try notification(
            "channel.poll.begin",
            #"{"id":"p","broadcaster_user_id":"1","broadcaster_user_login":"a","title":"t","choices":[{"id":"1","title":"x"},{"id":"2","title":"y"}],"started_at":"2020-07-15T17:16:03Z","ends_at":"2020-07-15T17:16:18Z"}"#
        )
        guard case .pollBegin(let started) = begin else {
            Issue.record("expected begin")
            return
        }
        #expect(started.votes == [0, 0])
        let end = try notification(
            "channel.poll.end",
            #"{"id":"p","broadcaster_user_id":"1","broadcaster_user_login":"a","title":"t","choices":[{"id":"1","title":"x","votes":3},{"id":"2","title":"y","votes":5}],"status":"terminated","started_at":"2020-07-15T17:16:03Z","ended_at":"2020-07-15T17:16:11.5Z"}"#
        )
        guard case .pollEnd(let ended) = end else {
            Issue.record("expected end")
            return
        }
        #expect(ended.status == "terminated")
        #expect(ended.votes == [3, 5])
        #expect(ended.endedAt?.nanoseconds == 500_000_000)
    }

    @Test func revocationNamesTheSubscriptionAndWhyES8() throws {
        let message = try Self.frame(
            #"{"metadata":{"message_id":"84c1e79a","message_type":"revocation","message_timestamp":"2019-11-16T10:11:12.464757833Z","subscription_type":"channel.poll.end","subscription_version":"1"},"payload":{"subscription":{"id":"f1c2","status":"authorization_revoked","type":"channel.poll.end","version":"1","cost":0,"condition":{"broadcaster_user_id":"12826"}}}}"#
        )
        #expect(
            message.kind
                == .revocation(
                    EventSubSubscription(
                        id: "f1c2",
                        type: "channel.poll.end",
                        version: "1",
                        status: "authorization_revoked",
                        broadcasterUserID: "12826"
                    )
                )
        )
    }

    @Test func unknownMessageTypesAndSubscriptionTypesAreKeptAndIgnoredES15() throws {
        #expect(try Self.frame(#"{"metadata":\#(Self.metadata("session_paused")),"payload":{"x":[1,2]}}"#).kind == .unknown(type: "session_paused"))
        let other = try Self.frame(
            #"{"metadata":\#(Self.metadata("notification")),"payload":{"subscription":{"id":"s","status":"enabled","type":"stream.online","version":"1","condition":{}},"event":{"id":"9"}}}"#
        )
        guard case .notification(let notification) = other.kind else {
            Issue.record("expected a notification")
            return
        }
        #expect(notification.event == .other(type: "stream.online"))
        #expect(notification.subscription.broadcasterUserID == nil)
    }

    @Test(
        "ES-14 ES-15: malformed frames give a coded error naming the problem, never the payload",
        arguments: [
            ("not json", EventSubDecodingError.Code.malformed),
            ("[1,2,3]", .malformed),
            (#"{"payload":{}}"#, .malformed),
            (#"{"metadata":{"message_id":"x","message_type":"session_keepalive"},"payload":{}}"#, .malformed),
            (#"{"metadata":{"message_id":"x","message_type":"session_keepalive","message_timestamp":"yesterday"},"payload":{}}"#, .badTimestamp),
            (
                #"{"metadata":{"message_id":"x","message_type":"session_welcome","message_timestamp":"2023-04-11T18:08:24Z"},"payload":{}}"#,
                .malformed
            ),
            (
                #"{"metadata":{"message_id":"x","message_type":"notification","message_timestamp":"2023-04-11T18:08:24Z"},"payload":{"subscription":{"id":"s","status":"enabled","type":"channel.poll.progress","version":"1"},"event":{"id":"secret-value"}}}"#,
                .malformed
            ),
        ]
    )
    func malformedFrames(text: String, code: EventSubDecodingError.Code) {
        #expect(throws: EventSubDecodingError.self) { try Self.frame(text) }
        do {
            _ = try Self.frame(text)
        } catch {
            #expect(error.code == code)
            #expect(!error.message.contains("secret-value"))
        }
    }
}
