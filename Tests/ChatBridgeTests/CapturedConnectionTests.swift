import ChatBridge
import Testing

/// Captured login, capability, membership and keepalive lines.
@Suite struct CapturedConnectionTests {
    static let connection: [CapturedEvent] = [
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst; the docs show the
        // same lines with a "<user>" placeholder, dev.twitch.tv/docs/chat/irc "Authenticating")
        CapturedEvent(
            source: "TwitchLib.Client: 001 welcome",
            line: #":tmi.twitch.tv 001 testuser :Welcome, GLHF!"#,
            expected: .welcome(login: "testuser")
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst, 002)
        CapturedEvent(
            source: "TwitchLib.Client: 002",
            line: #":tmi.twitch.tv 002 testuser :Your host is tmi.twitch.tv"#,
            expected: .numeric(code: 2, params: ["testuser", "Your host is tmi.twitch.tv"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst, 003)
        CapturedEvent(
            source: "TwitchLib.Client: 003",
            line: #":tmi.twitch.tv 003 testuser :This server is rather new"#,
            expected: .numeric(code: 3, params: ["testuser", "This server is rather new"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst, 004)
        CapturedEvent(
            source: "TwitchLib.Client: 004",
            line: #":tmi.twitch.tv 004 testuser :-"#,
            expected: .numeric(code: 4, params: ["testuser", "-"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst, 375)
        CapturedEvent(
            source: "TwitchLib.Client: 375",
            line: #":tmi.twitch.tv 375 testuser :-"#,
            expected: .numeric(code: 375, params: ["testuser", "-"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:202-208 (login burst, 372)
        CapturedEvent(
            source: "TwitchLib.Client: 372",
            line: #":tmi.twitch.tv 372 testuser :You are in a maze of twisty passages, all alike."#,
            expected: .numeric(code: 372, params: ["testuser", "You are in a maze of twisty passages, all alike."])
        ),
        // source: tmijs/tmi.js test/events.js ("connected" after 376)
        CapturedEvent(
            source: "tmi.js events.js: 376 end of MOTD",
            line: #":tmi.twitch.tv 376 schmoopiie :>"#,
            expected: .numeric(code: 376, params: ["schmoopiie", ">"])
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Requesting Twitch Capabilities" (one ACK for all three)
        CapturedEvent(
            source: "twitch docs: CAP ACK",
            line: #":tmi.twitch.tv CAP * ACK :twitch.tv/membership twitch.tv/tags twitch.tv/commands"#,
            expected: .capAck(["twitch.tv/membership", "twitch.tv/tags", "twitch.tv/commands"])
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Requesting Twitch Capabilities" (NAK, printed without prefix)
        CapturedEvent(
            source: "twitch docs: CAP NAK without prefix",
            line: #"CAP * NAK :twitch.tv/foo"#,
            expected: .capNak(["twitch.tv/foo"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchClientEventTests.cs:211 (one ACK per separate request)
        CapturedEvent(
            source: "TwitchLib.Client: CAP ACK tags",
            line: #":tmi.twitch.tv CAP * ACK :twitch.tv/tags"#,
            expected: .capAck(["twitch.tv/tags"])
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Joining and Leaving Chatrooms"
        CapturedEvent(
            source: "twitch docs: JOIN confirmation",
            line: #":bar!bar@bar.tmi.twitch.tv JOIN #twitchdev"#,
            expected: .join(channel: "twitchdev", login: "bar")
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Joining and Leaving Chatrooms" (353 with a nick.host prefix)
        CapturedEvent(
            source: "twitch docs: 353 names",
            line: #":bar.tmi.twitch.tv 353 bar = #twitchdev :bar"#,
            expected: .numeric(code: 353, params: ["bar", "=", "#twitchdev", "bar"])
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Joining and Leaving Chatrooms"
        CapturedEvent(
            source: "twitch docs: 366 end of names",
            line: #":bar.tmi.twitch.tv 366 bar #twitchdev :End of /NAMES list"#,
            expected: .numeric(code: 366, params: ["bar", "#twitchdev", "End of /NAMES list"])
        ),
        // source: TwitchLib/TwitchLib.Client TwitchLib.Client/IrcStringCollection.txt
        CapturedEvent(
            source: "TwitchLib.Client IrcStringCollection.txt: 366",
            line: #":blubott.tmi.twitch.tv 366 blubott #monstercat :End of /NAMES list"#,
            expected: .numeric(code: 366, params: ["blubott", "#monstercat", "End of /NAMES list"])
        ),
        // source: robotty/twitch-irc-rs src/message/commands/join.rs, test_basic
        CapturedEvent(
            source: "twitch-irc-rs join.rs: JOIN",
            line: #":randers811!randers811@randers811.tmi.twitch.tv JOIN #pajlada"#,
            expected: .join(channel: "pajlada", login: "randers811")
        ),
        // source: robotty/twitch-irc-rs src/message/commands/part.rs, test_basic
        CapturedEvent(
            source: "twitch-irc-rs part.rs: PART",
            line: #":randers811!randers811@randers811.tmi.twitch.tv PART #pajlada"#,
            expected: .part(channel: "pajlada", login: "randers811")
        ),
        // source: dev.twitch.tv/docs/chat/irc, PART command reference
        CapturedEvent(
            source: "twitch docs: PART",
            line: #":ronni!ronni@ronni.tmi.twitch.tv PART #dallas"#,
            expected: .part(channel: "dallas", login: "ronni")
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Keepalive Messages"
        CapturedEvent(
            source: "twitch docs: PING",
            line: #"PING :tmi.twitch.tv"#,
            expected: .ping(text: "tmi.twitch.tv")
        ),
        // source: robotty/twitch-irc-rs src/message/commands/ping.rs, test_basic (no argument)
        CapturedEvent(
            source: "twitch-irc-rs ping.rs: PING with prefix, no text",
            line: #":tmi.twitch.tv PING"#,
            expected: .ping(text: "")
        ),
        // source: robotty/twitch-irc-rs src/message/commands/ping.rs, test_with_arguments
        CapturedEvent(
            source: "twitch-irc-rs ping.rs: PING with arguments",
            line: #":tmi.twitch.tv PING test :abc def"#,
            expected: .ping(text: "abc def")
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePING5
        CapturedEvent(
            source: "go-twitch-irc message_test.go: PING with spaces",
            line: #"PING :message anything after the first space should be ignored"#,
            expected: .ping(text: "message anything after the first space should be ignored")
        ),
        // source: robotty/twitch-irc-rs src/message/commands/pong.rs, test_with_argument
        CapturedEvent(
            source: "twitch-irc-rs pong.rs: PONG echoing our text",
            line: #":tmi.twitch.tv PONG tmi.twitch.tv :test"#,
            expected: .pong(text: "test")
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePONG2
        CapturedEvent(
            source: "go-twitch-irc message_test.go: PONG with spaces",
            line: #":tmi.twitch.tv PONG tmi.twitch.tv :go-twitch-irc lol"#,
            expected: .pong(text: "go-twitch-irc lol")
        ),
        // source: dev.twitch.tv/docs/chat/irc, RECONNECT command reference
        CapturedEvent(
            source: "twitch docs: RECONNECT",
            line: #":tmi.twitch.tv RECONNECT"#,
            expected: .reconnect
        ),
    ]

    @Test("IRC-L4/C2/J1/P1/R1 captured connection lines", arguments: connection)
    func connectionLine(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-T2 the documented login burst, one frame, yields every message in order")
    func loginBurstFrame() throws {
        // source: dev.twitch.tv/docs/chat/irc, "Authenticating" (the burst as one CRLF-delimited string)
        let frame =
            ":tmi.twitch.tv 001 <user> :Welcome, GLHF!\r\n:tmi.twitch.tv 002 <user> :Your host is tmi.twitch.tv\r\n"
            + ":tmi.twitch.tv 003 <user> :This server is rather new\r\n:tmi.twitch.tv 004 <user> :-\r\n"
            + ":tmi.twitch.tv 375 <user> :-\r\n:tmi.twitch.tv 372 <user> :You are in a maze of twisty passages, all alike.\r\n"
            + ":tmi.twitch.tv 376 <user> :>\r\n"
            + "@badge-info=;badges=;color=;display-name=<user>;emote-sets=0,300374282;user-id=12345678;user-type= :tmi.twitch.tv GLOBALUSERSTATE\r\n"
        var splitter = IRCFrameSplitter()
        let events = try splitter.lines(in: frame).map { try ChatEvent(parsing: $0) }
        #expect(events.count == 8)
        #expect(events.first == .welcome(login: "<user>"))
        #expect(events[6] == .numeric(code: 376, params: ["<user>", ">"]))
        #expect(events.last == .globalUserState(GlobalUserState(userID: "12345678", displayName: "<user>", rawBadges: "")))
        #expect(!splitter.hasPartialLine)
    }

    @Test("IRC-T2 the documented JOIN reply frame yields JOIN, 353, 366, USERSTATE, ROOMSTATE and PART")
    func joinReplyFrame() throws {
        // source: dev.twitch.tv/docs/chat/irc, "Parsing messages" (multiple messages in one frame)
        let frame =
            ":foo!foo@foo.tmi.twitch.tv JOIN #bar\r\n:foo.tmi.twitch.tv 353 foo = #bar :foo\r\n"
            + ":foo.tmi.twitch.tv 366 foo #bar :End of /NAMES list\r\n"
            + "@badge-info=;badges=moderator/1;color=;display-name=foo;emote-sets=0,300374282;mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #bar\r\n"
            + "@emote-only=0;followers-only=-1;r9k=0;room-id=12345678;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #bar\r\n"
            + ":foo!foo@foo.tmi.twitch.tv PART #bar\r\n"
        var splitter = IRCFrameSplitter()
        let events = try splitter.lines(in: frame).map { try ChatEvent(parsing: $0) }
        #expect(
            events == [
                .join(channel: "bar", login: "foo"),
                .numeric(code: 353, params: ["foo", "=", "#bar", "foo"]),
                .numeric(code: 366, params: ["foo", "#bar", "End of /NAMES list"]),
                .userState(
                    UserState(
                        channel: "bar",
                        displayName: "foo",
                        isModerator: true,
                        isSubscriber: false,
                        messageID: nil,
                        rawBadges: "moderator/1"
                    )
                ),
                .roomState(
                    RoomState(
                        channel: "bar",
                        roomID: "12345678",
                        emoteOnly: false,
                        followersOnlyMinutes: -1,
                        uniqueChat: false,
                        slowSeconds: 0,
                        subscribersOnly: false
                    )
                ),
                .part(channel: "bar", login: "foo"),
            ]
        )
    }

    @Test("IRC-G1 unknown commands stay available as parsed lines (WHISPER)")
    func whisperIsUnknown() throws {
        // source: robotty/twitch-irc-rs src/message/commands/whisper.rs, test_basic
        let line =
            #"@badges=;color=#19E6E6;display-name=randers;emotes=25:22-26;message-id=1;thread-id=40286300_553170741;turbo=0;user-id=40286300;user-type= :randers!randers@randers.tmi.twitch.tv WHISPER randers811 :hello, this is a test Kappa"#
        let event = try ChatEvent(parsing: line)
        guard case .unknown(let message) = event else {
            Issue.record("expected .unknown, got \(event)")
            return
        }
        #expect(message.command == "WHISPER")
        #expect(message.prefix == .user(nick: "randers", user: "randers", host: "randers.tmi.twitch.tv"))
        #expect(message.params == ["randers811", "hello, this is a test Kappa"])
        #expect(message.tag("thread-id") == "40286300_553170741")
        #expect(message.tag("display-name") == "randers")
    }

    @Test("IRC-G1 HOSTTARGET and MODE from old captures are kept as unknown")
    func legacyCommands() throws {
        // source: tmijs/tmi.js test/events.js, "hosting" and "mod" events
        let host = try ChatEvent(parsing: ":tmi.twitch.tv HOSTTARGET #schmoopiie :schmoopiie 3")
        let mode = try ChatEvent(parsing: ":jtv MODE #schmoopiie +o schmoopiie")
        guard case .unknown(let hostMessage) = host, case .unknown(let modeMessage) = mode else {
            Issue.record("expected .unknown")
            return
        }
        #expect(hostMessage.params == ["#schmoopiie", "schmoopiie 3"])
        #expect(modeMessage.prefix == .user(nick: "jtv", user: nil, host: nil))
        #expect(modeMessage.params == ["#schmoopiie", "+o", "schmoopiie"])
    }
}
