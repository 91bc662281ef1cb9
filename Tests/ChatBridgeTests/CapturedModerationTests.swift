import ChatBridge
import Testing

/// A real line with where it was captured and the typed event it must produce.
struct CapturedEvent: Sendable, CustomTestStringConvertible {
    let source: String
    let line: String
    let expected: ChatEvent

    var testDescription: String { source }
}

/// Captured CLEARCHAT, CLEARMSG and NOTICE lines.
@Suite struct CapturedModerationTests {
    static let clearChats: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, "CLEARCHAT Tags" (dallas permanently banned ronni)
        CapturedEvent(
            source: "twitch docs: CLEARCHAT permanent ban",
            line: #"@room-id=12345678;target-user-id=87654321;tmi-sent-ts=1642715756806 :tmi.twitch.tv CLEARCHAT #dallas :ronni"#,
            expected: .clearChat(
                ClearChat(
                    channel: "dallas",
                    roomID: "12345678",
                    targetUserID: "87654321",
                    targetLogin: "ronni",
                    banDurationSeconds: nil,
                    sentAtMilliseconds: 1_642_715_756_806
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "CLEARCHAT Tags" (dallas removed all messages)
        CapturedEvent(
            source: "twitch docs: CLEARCHAT whole chat",
            line: #"@room-id=12345678;tmi-sent-ts=1642715695392 :tmi.twitch.tv CLEARCHAT #dallas"#,
            expected: .clearChat(
                ClearChat(
                    channel: "dallas",
                    roomID: "12345678",
                    targetUserID: nil,
                    targetLogin: nil,
                    banDurationSeconds: nil,
                    sentAtMilliseconds: 1_642_715_695_392
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "CLEARCHAT Tags" (dallas put ronni in a timeout)
        CapturedEvent(
            source: "twitch docs: CLEARCHAT timeout",
            line: #"@ban-duration=350;room-id=12345678;target-user-id=87654321;tmi-sent-ts=1642719320727 :tmi.twitch.tv CLEARCHAT #dallas :ronni"#,
            expected: .clearChat(
                ClearChat(
                    channel: "dallas",
                    roomID: "12345678",
                    targetUserID: "87654321",
                    targetLogin: "ronni",
                    banDurationSeconds: 350,
                    sentAtMilliseconds: 1_642_719_320_727
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, CLEARCHAT command reference (no tags)
        CapturedEvent(
            source: "twitch docs: CLEARCHAT without tags",
            line: #":tmi.twitch.tv CLEARCHAT #dallas :ronni"#,
            expected: .clearChat(
                ClearChat(
                    channel: "dallas",
                    roomID: "",
                    targetUserID: nil,
                    targetLogin: "ronni",
                    banDurationSeconds: nil,
                    sentAtMilliseconds: nil
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/clearchat.rs, test_timeout
        CapturedEvent(
            source: "twitch-irc-rs clearchat.rs: timeout",
            line: #"@ban-duration=1;room-id=11148817;target-user-id=148973258;tmi-sent-ts=1594553828245 :tmi.twitch.tv CLEARCHAT #pajlada :fabzeef"#,
            expected: .clearChat(
                ClearChat(
                    channel: "pajlada",
                    roomID: "11148817",
                    targetUserID: "148973258",
                    targetLogin: "fabzeef",
                    banDurationSeconds: 1,
                    sentAtMilliseconds: 1_594_553_828_245
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/clearchat.rs, test_permaban
        CapturedEvent(
            source: "twitch-irc-rs clearchat.rs: permaban",
            line: #"@room-id=11148817;target-user-id=70948394;tmi-sent-ts=1594561360331 :tmi.twitch.tv CLEARCHAT #pajlada :weeb123"#,
            expected: .clearChat(
                ClearChat(
                    channel: "pajlada",
                    roomID: "11148817",
                    targetUserID: "70948394",
                    targetLogin: "weeb123",
                    banDurationSeconds: nil,
                    sentAtMilliseconds: 1_594_561_360_331
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/clearchat.rs, test_chat_clear
        CapturedEvent(
            source: "twitch-irc-rs clearchat.rs: chat clear",
            line: #"@room-id=40286300;tmi-sent-ts=1594561392337 :tmi.twitch.tv CLEARCHAT #randers"#,
            expected: .clearChat(
                ClearChat(
                    channel: "randers",
                    roomID: "40286300",
                    targetUserID: nil,
                    targetLogin: nil,
                    banDurationSeconds: nil,
                    sentAtMilliseconds: 1_594_561_392_337
                )
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseTimeoutMessage
        CapturedEvent(
            source: "go-twitch-irc message_test.go: timeout",
            line:
                #"@ban-duration=5;room-id=408892348;target-user-id=269899575;tmi-sent-ts=1551538496775 :tmi.twitch.tv CLEARCHAT #clippyassistant :fletchercodes"#,
            expected: .clearChat(
                ClearChat(
                    channel: "clippyassistant",
                    roomID: "408892348",
                    targetUserID: "269899575",
                    targetLogin: "fletchercodes",
                    banDurationSeconds: 5,
                    sentAtMilliseconds: 1_551_538_496_775
                )
            )
        ),
        // source: gempir/go-twitch-irc test_resources/channel.txt.gz (real #xqcow capture)
        CapturedEvent(
            source: "go-twitch-irc channel.txt.gz: timeout in #xqcow",
            line: #"@ban-duration=10;room-id=71092938;target-user-id=53211996;tmi-sent-ts=1568505608390 :tmi.twitch.tv CLEARCHAT #xqcow :haru_exc"#,
            expected: .clearChat(
                ClearChat(
                    channel: "xqcow",
                    roomID: "71092938",
                    targetUserID: "53211996",
                    targetLogin: "haru_exc",
                    banDurationSeconds: 10,
                    sentAtMilliseconds: 1_568_505_608_390
                )
            )
        ),
        // source: tmijs/tmi.js test/events.js, "clearchat" event (no tags)
        CapturedEvent(
            source: "tmi.js events.js: clearchat",
            line: #":tmi.twitch.tv CLEARCHAT #schmoopiie"#,
            expected: .clearChat(
                ClearChat(
                    channel: "schmoopiie",
                    roomID: "",
                    targetUserID: nil,
                    targetLogin: nil,
                    banDurationSeconds: nil,
                    sentAtMilliseconds: nil
                )
            )
        ),
    ]

    static let clearMessages: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, "CLEARMSG Tags" (ronni's HeyGuys deleted)
        CapturedEvent(
            source: "twitch docs: CLEARMSG tags example",
            line: #"@login=ronni;room-id=;target-msg-id=abc-123-def;tmi-sent-ts=1642720582342 :tmi.twitch.tv CLEARMSG #dallas :HeyGuys"#,
            expected: .clearMessage(
                ClearMessage(
                    channel: "dallas",
                    targetMessageID: "abc-123-def",
                    login: "ronni",
                    text: "HeyGuys",
                    roomID: nil,
                    sentAtMilliseconds: 1_642_720_582_342
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, CLEARMSG command reference with tags
        CapturedEvent(
            source: "twitch docs: CLEARMSG command example",
            line:
                #"@login=foo;room-id=;target-msg-id=94e6c7ff-bf98-4faa-af5d-7ad633a158a9;tmi-sent-ts=1642720582342 :tmi.twitch.tv CLEARMSG #bar :what a great day"#,
            expected: .clearMessage(
                ClearMessage(
                    channel: "bar",
                    targetMessageID: "94e6c7ff-bf98-4faa-af5d-7ad633a158a9",
                    login: "foo",
                    text: "what a great day",
                    roomID: nil,
                    sentAtMilliseconds: 1_642_720_582_342
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/clearmsg.rs, test_action
        CapturedEvent(
            source: "twitch-irc-rs clearmsg.rs: deleted ACTION",
            line:
                #"@login=randers;room-id=;target-msg-id=15e5164d-f8e6-4aec-baf4-2d6a330760c4;tmi-sent-ts=1594562632383 :tmi.twitch.tv CLEARMSG #pajlada :\#u{01}ACTION test\#u{01}"#,
            expected: .clearMessage(
                ClearMessage(
                    channel: "pajlada",
                    targetMessageID: "15e5164d-f8e6-4aec-baf4-2d6a330760c4",
                    login: "randers",
                    text: "\u{01}ACTION test\u{01}",
                    roomID: nil,
                    sentAtMilliseconds: 1_594_562_632_383
                )
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseCLEARMSGMessage (no room-id, no timestamp)
        CapturedEvent(
            source: "go-twitch-irc message_test.go: CLEARMSG",
            line: #"@login=ronni;target-msg-id=abc-123-def :tmi.twitch.tv CLEARMSG #dallas :HeyGuys"#,
            expected: .clearMessage(
                ClearMessage(
                    channel: "dallas",
                    targetMessageID: "abc-123-def",
                    login: "ronni",
                    text: "HeyGuys",
                    roomID: nil,
                    sentAtMilliseconds: nil
                )
            )
        ),
    ]

    static let notices: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, "Authenticating" (server fails to authenticate)
        CapturedEvent(
            source: "twitch docs: login authentication failed",
            line: #":tmi.twitch.tv NOTICE * :Login authentication failed"#,
            expected: .notice(ChatNotice(channel: "*", messageID: nil, text: "Login authentication failed"))
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Authenticating" (PASS/NICK in the wrong order)
        CapturedEvent(
            source: "twitch docs: improperly formatted auth",
            line: #":tmi.twitch.tv NOTICE * :Improperly formatted auth"#,
            expected: .notice(ChatNotice(channel: "*", messageID: nil, text: "Improperly formatted auth"))
        ),
        // source: tmijs/tmi.js test/authentication.js
        CapturedEvent(
            source: "tmi.js authentication.js: login unsuccessful",
            line: #":tmi.twitch.tv NOTICE #schmoopiie :Login unsuccessful."#,
            expected: .notice(ChatNotice(channel: "schmoopiie", messageID: nil, text: "Login unsuccessful."))
        ),
        // source: tmijs/tmi.js test/authentication.js
        CapturedEvent(
            source: "tmi.js authentication.js: error logging in",
            line: #":tmi.twitch.tv NOTICE #schmoopiie :Error logging in."#,
            expected: .notice(ChatNotice(channel: "schmoopiie", messageID: nil, text: "Error logging in."))
        ),
        // source: tmijs/tmi.js test/authentication.js
        CapturedEvent(
            source: "tmi.js authentication.js: invalid NICK",
            line: #":tmi.twitch.tv NOTICE #schmoopiie :Invalid NICK."#,
            expected: .notice(ChatNotice(channel: "schmoopiie", messageID: nil, text: "Invalid NICK."))
        ),
        // source: robotty/twitch-irc-rs src/message/commands/notice.rs, test_basic
        CapturedEvent(
            source: "twitch-irc-rs notice.rs: msg_banned",
            line: #"@msg-id=msg_banned :tmi.twitch.tv NOTICE #forsen :You are permanently banned from talking in forsen."#,
            expected: .notice(
                ChatNotice(
                    channel: "forsen",
                    messageID: "msg_banned",
                    text: "You are permanently banned from talking in forsen."
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "NOTICE Tags" (delete_message_success)
        CapturedEvent(
            source: "twitch docs: NOTICE delete_message_success",
            line: #"@msg-id=delete_message_success :tmi.twitch.tv NOTICE #bar :The message from foo is now deleted."#,
            expected: .notice(
                ChatNotice(
                    channel: "bar",
                    messageID: "delete_message_success",
                    text: "The message from foo is now deleted."
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "NOTICE Tags" (whisper_restricted with target-user-id)
        CapturedEvent(
            source: "twitch docs: NOTICE whisper_restricted",
            line:
                #"@msg-id=whisper_restricted;target-user-id=12345678 :tmi.twitch.tv NOTICE #bar :Your settings prevent you from sending this whisper."#,
            expected: .notice(
                ChatNotice(
                    channel: "bar",
                    messageID: "whisper_restricted",
                    text: "Your settings prevent you from sending this whisper.",
                    targetUserID: "12345678"
                )
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseNOTICEMessage
        CapturedEvent(
            source: "go-twitch-irc message_test.go: subs_on",
            line: #"@msg-id=subs_on :tmi.twitch.tv NOTICE #clippyassistant :This room is now in subscribers-only mode."#,
            expected: .notice(
                ChatNotice(
                    channel: "clippyassistant",
                    messageID: "subs_on",
                    text: "This room is now in subscribers-only mode."
                )
            )
        ),
        // source: tmijs/tmi.js test/events.js, "automod" event (msg_rejected_mandatory)
        CapturedEvent(
            source: "tmi.js events.js: msg_rejected_mandatory",
            line:
                #"@msg-id=msg_rejected_mandatory :tmi.twitch.tv NOTICE #schmoopiie :Your message wasn't posted due to conflicts with the channel's moderation settings."#,
            expected: .notice(
                ChatNotice(
                    channel: "schmoopiie",
                    messageID: "msg_rejected_mandatory",
                    text: "Your message wasn't posted due to conflicts with the channel's moderation settings."
                )
            )
        ),
        // source: tmijs/tmi.js test/events.js, "mods" event with an empty list (text ends with a space)
        CapturedEvent(
            source: "tmi.js events.js: room_mods with trailing space",
            line: #"@msg-id=room_mods :tmi.twitch.tv NOTICE #schmoopiie :The moderators of this room are: "#,
            expected: .notice(
                ChatNotice(channel: "schmoopiie", messageID: "room_mods", text: "The moderators of this room are: ")
            )
        ),
        // source: tmijs/tmi.js test/invalid.js (trailing starting with a space)
        CapturedEvent(
            source: "tmi.js invalid.js: NOTICE text starting with a space",
            line: #":tmi.twitch.tv NOTICE #schmoopiie : FOO"#,
            expected: .notice(ChatNotice(channel: "schmoopiie", messageID: nil, text: " FOO"))
        ),
    ]

    @Test("IRC-G12 captured CLEARCHAT lines: ban, timeout, clear", arguments: clearChats)
    func clearChat(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-G12 captured CLEARMSG lines", arguments: clearMessages)
    func clearMessage(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-G13 captured NOTICE lines", arguments: notices)
    func notice(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-G12 CLEARCHAT helpers tell bans, timeouts and clears apart")
    func clearChatKinds() throws {
        let kinds = try Self.clearChats.prefix(3).map { captured -> (Bool, Bool) in
            guard case .clearChat(let clear) = try ChatEvent(parsing: captured.line) else { return (false, false) }
            return (clear.isWholeChat, clear.isPermanentBan)
        }
        #expect(kinds.map(\.0) == [false, true, false])
        #expect(kinds.map(\.1) == [true, false, false])
    }

    @Test(
        "IRC-L5 login failures are recognised without msg-id, in any case",
        arguments: [
            ("Login authentication failed", true),
            ("Improperly formatted auth", true),
            ("Improperly formatted AUTH", true),
            ("Login unsuccessful.", true),
            ("Invalid NICK.", true),
            ("Error logging in.", true),
            ("You are permanently banned from talking in forsen.", false),
        ]
    )
    func loginFailure(text: String, isFailure: Bool) {
        #expect(ChatNotice(channel: "*", messageID: nil, text: text).isLoginFailure == isFailure)
    }

    @Test("IRC-L5/G13 a notice with a msg-id is never a login failure")
    func msgIDIsNotLoginFailure() throws {
        #expect(!ChatNotice(channel: "bar", messageID: "msg_banned", text: "Login unsuccessful").isLoginFailure)
        guard case .notice(let notice) = try ChatEvent(parsing: Self.notices[0].line) else {
            Issue.record("expected a notice")
            return
        }
        #expect(notice.isLoginFailure)
    }
}
