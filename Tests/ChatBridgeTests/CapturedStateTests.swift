import ChatBridge
import Testing

/// Captured ROOMSTATE, USERSTATE, GLOBALUSERSTATE and USERNOTICE lines.
@Suite struct CapturedStateTests {
    static let roomStates: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, ROOMSTATE command reference (after joining)
        CapturedEvent(
            source: "twitch docs: full ROOMSTATE on join",
            line: #"@emote-only=0;followers-only=-1;r9k=0;room-id=12345678;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #bar"#,
            expected: .roomState(
                RoomState(
                    channel: "bar",
                    roomID: "12345678",
                    emoteOnly: false,
                    followersOnlyMinutes: -1,
                    uniqueChat: false,
                    slowSeconds: 0,
                    subscribersOnly: false
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, ROOMSTATE command reference (unique-chat turned on)
        CapturedEvent(
            source: "twitch docs: partial ROOMSTATE r9k",
            line: #"@r9k=1;room-id=713936733 :tmi.twitch.tv ROOMSTATE #bar"#,
            expected: .roomState(RoomState(channel: "bar", roomID: "713936733", uniqueChat: true))
        ),
        // source: dev.twitch.tv/docs/chat/irc, "ROOMSTATE Tags" (slow mode; this example has no room-id)
        CapturedEvent(
            source: "twitch docs: partial ROOMSTATE slow",
            line: #"@slow=10 :tmi.twitch.tv ROOMSTATE #dallas"#,
            expected: .roomState(RoomState(channel: "dallas", roomID: "", slowSeconds: 10))
        ),
        // source: robotty/twitch-irc-rs src/message/commands/roomstate.rs, test_basic_full2
        CapturedEvent(
            source: "twitch-irc-rs roomstate.rs: full with modes on",
            line: #"@emote-only=1;followers-only=0;r9k=1;rituals=0;room-id=40286300;slow=5;subs-only=1 :tmi.twitch.tv ROOMSTATE #randers"#,
            expected: .roomState(
                RoomState(
                    channel: "randers",
                    roomID: "40286300",
                    emoteOnly: true,
                    followersOnlyMinutes: 0,
                    uniqueChat: true,
                    slowSeconds: 5,
                    subscribersOnly: true
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/roomstate.rs, test_followers_non_zero
        CapturedEvent(
            source: "twitch-irc-rs roomstate.rs: followers-only 10 minutes",
            line: #"@emote-only=1;followers-only=10;r9k=1;rituals=0;room-id=40286300;slow=5;subs-only=1 :tmi.twitch.tv ROOMSTATE #randers"#,
            expected: .roomState(
                RoomState(
                    channel: "randers",
                    roomID: "40286300",
                    emoteOnly: true,
                    followersOnlyMinutes: 10,
                    uniqueChat: true,
                    slowSeconds: 5,
                    subscribersOnly: true
                )
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseROOMSTATEMessage (historical broadcaster-lang)
        CapturedEvent(
            source: "go-twitch-irc message_test.go: ROOMSTATE with broadcaster-lang",
            line:
                #"@broadcaster-lang=en;emote-only=0;followers-only=-1;r9k=1;rituals=0;room-id=408892348;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #clippyassistant"#,
            expected: .roomState(
                RoomState(
                    channel: "clippyassistant",
                    roomID: "408892348",
                    emoteOnly: false,
                    followersOnlyMinutes: -1,
                    uniqueChat: true,
                    slowSeconds: 0,
                    subscribersOnly: false
                )
            )
        ),
        // source: tmijs/tmi.js test/events.js, "roomstate" event
        CapturedEvent(
            source: "tmi.js events.js: ROOMSTATE with empty broadcaster-lang",
            line: #"@broadcaster-lang=;r9k=0;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #schmoopiie"#,
            expected: .roomState(
                RoomState(channel: "schmoopiie", roomID: "", uniqueChat: false, slowSeconds: 0, subscribersOnly: false)
            )
        ),
    ]

    static let userStates: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, "USERSTATE Tags" (ronni joined dallas)
        CapturedEvent(
            source: "twitch docs: USERSTATE after join",
            line:
                #"@badge-info=;badges=staff/1;color=#0D4200;display-name=ronni;emote-sets=0,33,50,237,793,2126,3517,4578,5569,9400,10337,12239;mod=1;subscriber=1;turbo=1;user-type=staff :tmi.twitch.tv USERSTATE #dallas"#,
            expected: .userState(
                UserState(
                    channel: "dallas",
                    displayName: "ronni",
                    isModerator: true,
                    isSubscriber: true,
                    messageID: nil,
                    rawBadges: "staff/1"
                )
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Receiving Messages" (USERSTATE instead of an echo, IRC-G10)
        CapturedEvent(
            source: "twitch docs: USERSTATE instead of an echo",
            line:
                #"@badge-info=;badges=moderator/1;color=#FF4500;display-name=mybot;emote-sets=0,300374282;mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #bar"#,
            expected: .userState(
                UserState(
                    channel: "bar",
                    displayName: "mybot",
                    isModerator: true,
                    isSubscriber: false,
                    messageID: nil,
                    rawBadges: "moderator/1"
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/userstate.rs, test_uuid_emote_set_id
        CapturedEvent(
            source: "twitch-irc-rs userstate.rs: UUID emote set",
            line:
                #"@badge-info=;badges=moderator/1;color=#8A2BE2;display-name=TESTUSER;emote-sets=0,75c09c7b-332a-43ec-8be8-1d4571706155;mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #randers"#,
            expected: .userState(
                UserState(
                    channel: "randers",
                    displayName: "TESTUSER",
                    isModerator: true,
                    isSubscriber: false,
                    messageID: nil,
                    rawBadges: "moderator/1"
                )
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseUSERSTATEMessage
        CapturedEvent(
            source: "go-twitch-irc message_test.go: USERSTATE",
            line:
                #"@badges=;color=#1E90FF;display-name=FletcherCodes;emote-sets=0,87321,269983,269986,568076,1548253;mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #clippyassistant"#,
            expected: .userState(
                UserState(
                    channel: "clippyassistant",
                    displayName: "FletcherCodes",
                    isModerator: false,
                    isSubscriber: false,
                    messageID: nil,
                    rawBadges: ""
                )
            )
        ),
    ]

    static let globalUserStates: [CapturedEvent] = [
        // source: dev.twitch.tv/docs/chat/irc, "GLOBALUSERSTATE Tags" (dallas logged in)
        CapturedEvent(
            source: "twitch docs: GLOBALUSERSTATE",
            line:
                #"@badge-info=subscriber/8;badges=subscriber/6;color=#0D4200;display-name=dallas;emote-sets=0,33,50,237,793,2126,3517,4578,5569,9400,10337,12239;turbo=0;user-id=12345678;user-type=admin :tmi.twitch.tv GLOBALUSERSTATE"#,
            expected: .globalUserState(
                GlobalUserState(userID: "12345678", displayName: "dallas", rawBadges: "subscriber/6")
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/globaluserstate.rs, test_basic
        CapturedEvent(
            source: "twitch-irc-rs globaluserstate.rs: basic",
            line:
                #"@badge-info=;badges=;color=#19E6E6;display-name=randers;emote-sets=0,42,237;user-id=40286300;user-type= :tmi.twitch.tv GLOBALUSERSTATE"#,
            expected: .globalUserState(GlobalUserState(userID: "40286300", displayName: "randers", rawBadges: ""))
        ),
        // source: tmijs/tmi.js test/events.js, "globaluserstate" event
        CapturedEvent(
            source: "tmi.js events.js: GLOBALUSERSTATE",
            line:
                #"@badge-info=;badges=glitchcon2020/1;color=#177DE3;display-name=Alca;emote-sets=0;user-id=7676884;user-type= :tmi.twitch.tv GLOBALUSERSTATE"#,
            expected: .globalUserState(
                GlobalUserState(userID: "7676884", displayName: "Alca", rawBadges: "glitchcon2020/1")
            )
        ),
    ]

    /// A captured USERNOTICE and the fields it must parse to.
    struct CapturedUserNotice: Sendable, CustomTestStringConvertible {
        let source: String
        let line: String
        let channel: String
        let kind: String
        let userID: String
        let login: String
        let displayName: String
        let systemMessage: String
        let text: String?

        var testDescription: String { source }
    }

    static let userNotices: [CapturedUserNotice] = [
        // source: dev.twitch.tv/docs/chat/irc, "USERNOTICE Tags" (ronni resubscribed)
        CapturedUserNotice(
            source: "twitch docs: resub",
            line:
                #"@badge-info=;badges=staff/1,broadcaster/1,turbo/1;color=#008000;display-name=ronni;emotes=;id=db25007f-7a18-43eb-9379-80131e44d633;login=ronni;mod=0;msg-id=resub;msg-param-cumulative-months=6;msg-param-streak-months=2;msg-param-should-share-streak=1;msg-param-sub-plan=Prime;msg-param-sub-plan-name=Prime;room-id=12345678;subscriber=1;system-msg=ronni\shas\ssubscribed\sfor\s6\smonths!;tmi-sent-ts=1507246572675;turbo=1;user-id=87654321;user-type=staff :tmi.twitch.tv USERNOTICE #dallas :Great stream -- keep it up!"#,
            channel: "dallas",
            kind: "resub",
            userID: "87654321",
            login: "ronni",
            displayName: "ronni",
            systemMessage: "ronni has subscribed for 6 months!",
            text: "Great stream -- keep it up!"
        ),
        // source: dev.twitch.tv/docs/chat/irc, "USERNOTICE Tags" (tww2 gifted a subscription)
        CapturedUserNotice(
            source: "twitch docs: subgift",
            line:
                #"@badge-info=;badges=staff/1,premium/1;color=#0000FF;display-name=TWW2;emotes=;id=e9176cd8-5e22-4684-ad40-ce53c2561c5e;login=tww2;mod=0;msg-id=subgift;msg-param-months=1;msg-param-recipient-display-name=Mr_Woodchuck;msg-param-recipient-id=55554444;msg-param-recipient-name=mr_woodchuck;msg-param-sub-plan-name=House\sof\sNyoro~n;msg-param-sub-plan=1000;room-id=19571752;subscriber=0;system-msg=TWW2\sgifted\sa\sTier\s1\ssub\sto\sMr_Woodchuck!;tmi-sent-ts=1521159445153;turbo=0;user-id=87654321;user-type=staff :tmi.twitch.tv USERNOTICE #forstycup"#,
            channel: "forstycup",
            kind: "subgift",
            userID: "87654321",
            login: "tww2",
            displayName: "TWW2",
            systemMessage: "TWW2 gifted a Tier 1 sub to Mr_Woodchuck!",
            text: nil
        ),
        // source: dev.twitch.tv/docs/chat/irc, "USERNOTICE Tags" (raid; system-msg contains an escaped \n)
        CapturedUserNotice(
            source: "twitch docs: raid with escaped newline",
            line:
                #"@badge-info=;badges=turbo/1;color=#9ACD32;display-name=TestChannel;emotes=;id=3d830f12-795c-447d-af3c-ea05e40fbddb;login=testchannel;mod=0;msg-id=raid;msg-param-displayName=TestChannel;msg-param-login=testchannel;msg-param-viewerCount=15;room-id=33332222;subscriber=0;system-msg=15\sraiders\sfrom\sTestChannel\shave\sjoined\n!;tmi-sent-ts=1507246572675;turbo=1;user-id=123456;user-type= :tmi.twitch.tv USERNOTICE #othertestchannel"#,
            channel: "othertestchannel",
            kind: "raid",
            userID: "123456",
            login: "testchannel",
            displayName: "TestChannel",
            systemMessage: "15 raiders from TestChannel have joined\n!",
            text: nil
        ),
        // source: dev.twitch.tv/docs/chat/irc, "USERNOTICE Tags" (viewer milestone)
        CapturedUserNotice(
            source: "twitch docs: viewermilestone",
            line:
                #"@badge-info=;badges=;color=#1E90FF;display-name=TwitchDev;emotes=;flags=;id=97459ff9-8cd9-47d0-8a81-1fa5fe1d4367;login=twitchdev;mod=0;msg-id=viewermilestone;msg-param-category=watch-streak;msg-param-id=a872953b-606f-410a-9970-c95b744f116c;msg-param-value=3;room-id=197886470;subscriber=0;system-msg=TwitchDev\swatched\s3\sconsecutive\sstreams\sthis\smonth\sand\ssparked\sa\swatch\sstreak!;tmi-sent-ts=1681057151588;user-id=141981764;user-type= :tmi.twitch.tv USERNOTICE #twitchrivals"#,
            channel: "twitchrivals",
            kind: "viewermilestone",
            userID: "141981764",
            login: "twitchdev",
            displayName: "TwitchDev",
            systemMessage: "TwitchDev watched 3 consecutive streams this month and sparked a watch streak!",
            text: nil
        ),
        // source: robotty/twitch-irc-rs src/message/commands/usernotice.rs, test_sneaky_action_invalid_emote_tag
        CapturedUserNotice(
            source: "twitch-irc-rs usernotice.rs: resub with an ACTION message",
            line:
                #"@badge-info=subscriber/23;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=25:7-11,23-27/499:29-30;flags=;id=8c2918c2-adf4-4208-a554-8a72d016de70;login=randers;mod=1;msg-id=resub;msg-param-cumulative-months=23;msg-param-months=0;msg-param-should-share-streak=1;msg-param-streak-months=23;msg-param-sub-plan-name=look\sat\sthose\sshitty\semotes,\srip\s$5\sLUL;msg-param-sub-plan=1000;room-id=11148817;subscriber=1;system-msg=randers\ssubscribed\sat\sTier\s1.\sThey've\ssubscribed\sfor\s23\smonths,\scurrently\son\sa\s23\smonth\sstreak!;tmi-sent-ts=1595497450553;user-id=40286300;user-type=mod :tmi.twitch.tv USERNOTICE #pajlada :\#u{01}ACTION Kappa TEST TEST Kappa :)\#u{01}"#,
            channel: "pajlada",
            kind: "resub",
            userID: "40286300",
            login: "randers",
            displayName: "randers",
            systemMessage: "randers subscribed at Tier 1. They've subscribed for 23 months, currently on a 23 month streak!",
            text: "Kappa TEST TEST Kappa :)"
        ),
        // source: robotty/twitch-irc-rs src/message/commands/usernotice.rs, test_announcement (empty system-msg)
        CapturedUserNotice(
            source: "twitch-irc-rs usernotice.rs: announcement",
            line:
                #"@badge-info=subscriber/88;badges=moderator/1,subscriber/72;color=#19E6E6;display-name=randers;emotes=185989:11-15/25:17-21/1902:23-27;flags=;id=9045a344-75b9-44fa-af49-c413bcb39559;login=randers;mod=1;msg-id=announcement;msg-param-color=PRIMARY;room-id=11148817;subscriber=1;system-msg=;tmi-sent-ts=1780872797175;user-id=40286300;user-type=mod;vip=0 :tmi.twitch.tv USERNOTICE #pajlada :hello pajs pajaH Kappa Keepo"#,
            channel: "pajlada",
            kind: "announcement",
            userID: "40286300",
            login: "randers",
            displayName: "randers",
            systemMessage: "",
            text: "hello pajs pajaH Kappa Keepo"
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseUSERNOTICEAnonymousGiftSubMessage
        CapturedUserNotice(
            source: "go-twitch-irc message_test.go: anonsubgift",
            line:
                #"@badges=broadcaster/1,subscriber/6;color=;display-name=qa_subs_partner;emotes=;flags=;id=b1818e3c-0005-490f-ad0a-804957ddd760;login=qa_subs_partner;mod=0;msg-id=anonsubgift;msg-param-months=3;msg-param-recipient-display-name=TenureCalculator;msg-param-recipient-id=135054130;msg-param-recipient-user-name=tenurecalculator;msg-param-sub-plan-name=t111;msg-param-sub-plan=1000;room-id=196450059;subscriber=1;system-msg=An\sanonymous\suser\sgifted\sa\sTier\s1\ssub\sto\sTenureCalculator!\s;tmi-sent-ts=1542063432068;turbo=0;user-id=196450059;user-type= :tmi.twitch.tv USERNOTICE #qa_subs_partner"#,
            channel: "qa_subs_partner",
            kind: "anonsubgift",
            userID: "196450059",
            login: "qa_subs_partner",
            displayName: "qa_subs_partner",
            systemMessage: "An anonymous user gifted a Tier 1 sub to TenureCalculator! ",
            text: nil
        ),
        // source: tmijs/tmi.js test/events.js, "subscription" event
        CapturedUserNotice(
            source: "tmi.js events.js: sub with a message",
            line:
                #"@badges=staff/1,subscriber/1,turbo/1;color=#008000;display-name=Schmoopiie;emotes=;mod=0;msg-id=sub;room-id=20624989;subscriber=1;msg-param-sub-plan=Prime;msg-param-sub-plan-name=Channel\sSubscription\s(Schmoopiie);system-msg=Schmoopiie\sjust\ssubscribed!;login=schmoopiie;turbo=1;user-id=20624989;user-type=staff :tmi.twitch.tv USERNOTICE #schmoopiie :Great stream -- keep it up!"#,
            channel: "schmoopiie",
            kind: "sub",
            userID: "20624989",
            login: "schmoopiie",
            displayName: "Schmoopiie",
            systemMessage: "Schmoopiie just subscribed!",
            text: "Great stream -- keep it up!"
        ),
    ]

    @Test("IRC-G11 captured ROOMSTATE lines keep unsent settings nil", arguments: roomStates)
    func roomState(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-G10 captured USERSTATE lines", arguments: userStates)
    func userState(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-L4 captured GLOBALUSERSTATE lines", arguments: globalUserStates)
    func globalUserState(_ captured: CapturedEvent) throws {
        #expect(try ChatEvent(parsing: captured.line) == captured.expected)
    }

    @Test("IRC-G14 captured USERNOTICE lines, system-msg unescaped", arguments: userNotices)
    func userNotice(_ captured: CapturedUserNotice) throws {
        guard case .userNotice(let notice) = try ChatEvent(parsing: captured.line) else {
            Issue.record("expected .userNotice")
            return
        }
        #expect(notice.channel == captured.channel)
        #expect(notice.kind == captured.kind)
        #expect(notice.userID == captured.userID)
        #expect(notice.login == captured.login)
        #expect(notice.displayName == captured.displayName)
        #expect(notice.systemMessage == captured.systemMessage)
        #expect(notice.text == captured.text)
        #expect(notice.raw.tag("msg-id") == captured.kind)
    }

    @Test("IRC-G11 a partial ROOMSTATE merges into the full one")
    func roomStateMerge() throws {
        guard case .roomState(let full) = try ChatEvent(parsing: Self.roomStates[0].line),
            case .roomState(let partial) = try ChatEvent(parsing: Self.roomStates[1].line)
        else {
            Issue.record("expected room states")
            return
        }
        let merged = partial.merged(into: full)
        #expect(
            merged
                == RoomState(
                    channel: "bar",
                    roomID: "713936733",
                    emoteOnly: false,
                    followersOnlyMinutes: -1,
                    uniqueChat: true,
                    slowSeconds: 0,
                    subscribersOnly: false
                )
        )
    }

    @Test("IRC-S3 USERSTATE tells whether the bot is privileged")
    func privileged() throws {
        guard case .userState(let moderator) = try ChatEvent(parsing: Self.userStates[1].line),
            case .userState(let viewer) = try ChatEvent(parsing: Self.userStates[3].line)
        else {
            Issue.record("expected user states")
            return
        }
        #expect(moderator.isPrivileged)
        #expect(!viewer.isPrivileged)
        #expect(moderator.badges == [ChatBadge(set: "moderator", version: "1")])
    }
}
