import ChatBridge
import Foundation
import Testing

/// What a captured `PRIVMSG` line must parse to; every field is asserted.
struct PrivmsgExpectation: Sendable {
    var channel: String
    var roomID: String
    var userID: String
    var login: String
    var displayName: String
    var messageID: String
    var sentAt: Int64?
    var text: String
    var isAction = false
    var badges: [String] = []
    var bits: Int? = nil
    var isModerator = false
    var isSubscriber = false
    var isVIP = false
    var reply: ChatReplyParent? = nil
    var sourceMessageID: String? = nil
    var sourceRoomID: String? = nil
    var customRewardID: String? = nil
}

/// One real `PRIVMSG` line with where it was captured and what it must parse to.
struct CapturedPrivmsg: Sendable, CustomTestStringConvertible {
    let source: String
    let line: String
    let expected: PrivmsgExpectation

    var testDescription: String { source }
}

extension CapturedPrivmsg {
    /// Real lines from Twitch's documentation and public client test suites.
    static let all: [CapturedPrivmsg] = [
        // source: dev.twitch.tv/docs/chat/irc, "PRIVMSG Tags" example (ronni posted a message)
        CapturedPrivmsg(
            source: "twitch docs: PRIVMSG tags example",
            line:
                #"@badge-info=;badges=turbo/1;color=#0D4200;display-name=ronni;emotes=25:0-4,12-16/1902:6-10;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;room-id=1337;subscriber=0;tmi-sent-ts=1507246572675;turbo=1;user-id=1337;user-type=global_mod :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :Kappa Keepo Kappa"#,
            expected: PrivmsgExpectation(
                channel: "ronni",
                roomID: "1337",
                userID: "1337",
                login: "ronni",
                displayName: "ronni",
                messageID: "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
                sentAt: 1_507_246_572_675,
                text: "Kappa Keepo Kappa",
                badges: ["turbo/1"]
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "PRIVMSG Tags" example (ronni cheered 100 Bits)
        CapturedPrivmsg(
            source: "twitch docs: PRIVMSG cheer example",
            line:
                #"@badge-info=;badges=staff/1,bits/1000;bits=100;color=;display-name=ronni;emotes=;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;room-id=12345678;subscriber=0;tmi-sent-ts=1507246572675;turbo=1;user-id=12345678;user-type=staff :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :cheer100"#,
            expected: PrivmsgExpectation(
                channel: "ronni",
                roomID: "12345678",
                userID: "12345678",
                login: "ronni",
                displayName: "ronni",
                messageID: "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
                sentAt: 1_507_246_572_675,
                text: "cheer100",
                badges: ["staff/1", "bits/1000"],
                bits: 100
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "IRC Tag Reference" introduction (abc posted HeyGuys)
        CapturedPrivmsg(
            source: "twitch docs: tag reference introduction",
            line:
                #"@badge-info=;badges=broadcaster/1;client-nonce=997dcf443c31e258c1d32a8da47b6936;color=#0000FF;display-name=abc;emotes=;first-msg=0;flags=0-6:S.7;id=eb24e920-8065-492a-8aea-266a00fc5126;mod=0;room-id=713936733;subscriber=0;tmi-sent-ts=1642786203573;turbo=0;user-id=713936733;user-type= :abc!abc@abc.tmi.twitch.tv PRIVMSG #xyz :HeyGuys"#,
            expected: PrivmsgExpectation(
                channel: "xyz",
                roomID: "713936733",
                userID: "713936733",
                login: "abc",
                displayName: "abc",
                messageID: "eb24e920-8065-492a-8aea-266a00fc5126",
                sentAt: 1_642_786_203_573,
                text: "HeyGuys",
                badges: ["broadcaster/1"]
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Replying to a chat message"
        CapturedPrivmsg(
            source: "twitch docs: replying to a chat message",
            line:
                #"@badge-info=;badges=broadcaster/1;client-nonce=459e3142897c7a22b7d275178f2259e0;color=#0000FF;display-name=lovingt3s;emote-only=1;emotes=62835:0-10;first-msg=0;flags=;id=885196de-cb67-427a-baa8-82f9b0fcd05f;mod=0;room-id=713936733;subscriber=0;tmi-sent-ts=1643904084794;turbo=0;user-id=713936733;user-type= :lovingt3s!lovingt3s@lovingt3s.tmi.twitch.tv PRIVMSG #lovingt3s :bleedPurple"#,
            expected: PrivmsgExpectation(
                channel: "lovingt3s",
                roomID: "713936733",
                userID: "713936733",
                login: "lovingt3s",
                displayName: "lovingt3s",
                messageID: "885196de-cb67-427a-baa8-82f9b0fcd05f",
                sentAt: 1_643_904_084_794,
                text: "bleedPurple",
                badges: ["broadcaster/1"]
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Receiving Messages" (PRIVMSG with tags)
        CapturedPrivmsg(
            source: "twitch docs: receiving messages with tags",
            line:
                #"@badge-info=;badges=broadcaster/1;client-nonce=28e05b1c83f1e916ca1710c44b014515;color=#0000FF;display-name=foofoo;emotes=62835:0-10;first-msg=0;flags=;id=f80a19d6-e35a-4273-82d0-cd87f614e767;mod=0;room-id=713936733;subscriber=0;tmi-sent-ts=1642696567751;turbo=0;user-id=713936733;user-type= :foofoo!foofoo@foofoo.tmi.twitch.tv PRIVMSG #bar :bleedPurple"#,
            expected: PrivmsgExpectation(
                channel: "bar",
                roomID: "713936733",
                userID: "713936733",
                login: "foofoo",
                displayName: "foofoo",
                messageID: "f80a19d6-e35a-4273-82d0-cd87f614e767",
                sentAt: 1_642_696_567_751,
                text: "bleedPurple",
                badges: ["broadcaster/1"]
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Shared Chat" (message in the source channel Twitch); the docs
        // page renders "#twitch:Howdy!" without the space, TwitchLib.Client's IrcParserTests carry it with the space.
        CapturedPrivmsg(
            source: "twitch docs: shared chat, source channel",
            line:
                #"@badge-info=;badges=staff/1,twitchcon-2024---san-diego/1;client-nonce=99a343c9cf2fcf4e96e0abc358f7b59b;color=#FF4500;display-name=TwitchDev;emotes=;first-msg=1;flags=;id=4dcec0e7-7f79-4a82-8aed-91aac9d0640c;mod=0;returning-chatter=0;room-id=12826;source-badge-info=;source-badges=staff/1,twitchcon-2024---san-diego/1;source-id=4dcec0e7-7f79-4a82-8aed-91aac9d0640c;source-room-id=12826;subscriber=0;tmi-sent-ts=1725918561648;turbo=0;user-id=141981764;user-type=staff :twitchdev!twitchdev@twitchdev.tmi.twitch.tv PRIVMSG #twitch :Howdy!"#,
            expected: PrivmsgExpectation(
                channel: "twitch",
                roomID: "12826",
                userID: "141981764",
                login: "twitchdev",
                displayName: "TwitchDev",
                messageID: "4dcec0e7-7f79-4a82-8aed-91aac9d0640c",
                sentAt: 1_725_918_561_648,
                text: "Howdy!",
                badges: ["staff/1", "twitchcon-2024---san-diego/1"],
                sourceMessageID: "4dcec0e7-7f79-4a82-8aed-91aac9d0640c",
                sourceRoomID: "12826"
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, "Shared Chat" (the copy in TwitchRivals); space restored as above
        CapturedPrivmsg(
            source: "twitch docs: shared chat, duplicated copy",
            line:
                #"@badge-info=;badges=staff/1,twitchcon-2024---san-diego/1;client-nonce=99a343c9cf2fcf4e96e0abc358f7b59b;color=#FF4500;display-name=TwitchDev;emotes=;flags=;id=17152d83-1fc8-4869-9d44-5157ee212ff1;mod=0;room-id=197886470;source-badge-info=;source-badges=staff/1,twitchcon-2024---san-diego/1;source-id=4dcec0e7-7f79-4a82-8aed-91aac9d0640c;source-room-id=12826;subscriber=0;tmi-sent-ts=1725918561648;turbo=0;user-id=141981764;user-type=staff :twitchdev!twitchdev@twitchdev.tmi.twitch.tv PRIVMSG #twitchrivals :Howdy!"#,
            expected: PrivmsgExpectation(
                channel: "twitchrivals",
                roomID: "197886470",
                userID: "141981764",
                login: "twitchdev",
                displayName: "TwitchDev",
                messageID: "17152d83-1fc8-4869-9d44-5157ee212ff1",
                sentAt: 1_725_918_561_648,
                text: "Howdy!",
                badges: ["staff/1", "twitchcon-2024---san-diego/1"],
                sourceMessageID: "4dcec0e7-7f79-4a82-8aed-91aac9d0640c",
                sourceRoomID: "12826"
            )
        ),
        // source: dev.twitch.tv/docs/chat/irc, PRIVMSG command reference (no tags requested)
        CapturedPrivmsg(
            source: "twitch docs: PRIVMSG without tags",
            line: #":ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :Hello, chat!"#,
            expected: PrivmsgExpectation(
                channel: "dallas",
                roomID: "",
                userID: "",
                login: "ronni",
                displayName: "",
                messageID: "",
                sentAt: nil,
                text: "Hello, chat!"
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_basic_example
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: basic",
            line:
                #"@badge-info=;badges=;color=#0000FF;display-name=JuN1oRRRR;emotes=;flags=;id=e9d998c3-36f1-430f-89ec-6b887c28af36;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts=1594545155039;turbo=0;user-id=29803735;user-type= :jun1orrrr!jun1orrrr@jun1orrrr.tmi.twitch.tv PRIVMSG #pajlada :dank cam"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "29803735",
                login: "jun1orrrr",
                displayName: "JuN1oRRRR",
                messageID: "e9d998c3-36f1-430f-89ec-6b887c28af36",
                sentAt: 1_594_545_155_039,
                text: "dank cam"
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_action_and_badges
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: action and badges",
            line:
                #"@badge-info=subscriber/22;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=;flags=;id=d831d848-b7c7-4559-ae3a-2cb88f4dbfed;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1594555275886;turbo=0;user-id=40286300;user-type=mod :randers!randers@randers.tmi.twitch.tv PRIVMSG #pajlada :\#u{01}ACTION -tags\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "40286300",
                login: "randers",
                displayName: "randers",
                messageID: "d831d848-b7c7-4559-ae3a-2cb88f4dbfed",
                sentAt: 1_594_555_275_886,
                text: "-tags",
                isAction: true,
                badges: ["moderator/1", "subscriber/12"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_greyname_no_color (recent-messages tags)
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: greyname, historical tags",
            line:
                #"@rm-received-ts=1594554085918;historical=1;badge-info=;badges=;client-nonce=815810609edecdf4537bd9586994182b;color=;display-name=CarvedTaleare;emotes=;flags=;id=c9b941d9-a0ab-4534-9903-971768fcdf10;mod=0;room-id=22484632;subscriber=0;tmi-sent-ts=1594554085753;turbo=0;user-id=467684514;user-type= :carvedtaleare!carvedtaleare@carvedtaleare.tmi.twitch.tv PRIVMSG #forsen :NaM"#,
            expected: PrivmsgExpectation(
                channel: "forsen",
                roomID: "22484632",
                userID: "467684514",
                login: "carvedtaleare",
                displayName: "CarvedTaleare",
                messageID: "c9b941d9-a0ab-4534-9903-971768fcdf10",
                sentAt: 1_594_554_085_753,
                text: "NaM"
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_reply_parent_included
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: reply parent",
            line:
                #"@badge-info=;badges=;client-nonce=cd56193132f934ac71b4d5ac488d4bd6;color=;display-name=LeftSwing;emotes=;first-msg=0;flags=;id=5b4f63a9-776f-4fce-bf3c-d9707f52e32d;mod=0;reply-parent-display-name=Retoon;reply-parent-msg-body=hello;reply-parent-msg-id=6b13e51b-7ecb-43b5-ba5b-2bb5288df696;reply-parent-user-id=37940952;reply-parent-user-login=retoon;returning-chatter=0;room-id=37940952;subscriber=0;tmi-sent-ts=1673925983585;turbo=0;user-id=133651738;user-type= :leftswing!leftswing@leftswing.tmi.twitch.tv PRIVMSG #retoon :@Retoon yes"#,
            expected: PrivmsgExpectation(
                channel: "retoon",
                roomID: "37940952",
                userID: "133651738",
                login: "leftswing",
                displayName: "LeftSwing",
                messageID: "5b4f63a9-776f-4fce-bf3c-d9707f52e32d",
                sentAt: 1_673_925_983_585,
                text: "@Retoon yes",
                reply: ChatReplyParent(
                    messageID: "6b13e51b-7ecb-43b5-ba5b-2bb5288df696",
                    userID: "37940952",
                    login: "retoon",
                    displayName: "Retoon",
                    body: "hello"
                )
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_display_name_with_trailing_space
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: display name with escaped trailing space",
            line:
                #"@rm-received-ts=1594554085918;historical=1;badge-info=;badges=;client-nonce=815810609edecdf4537bd9586994182b;color=;display-name=CarvedTaleare\s;emotes=;flags=;id=c9b941d9-a0ab-4534-9903-971768fcdf10;mod=0;room-id=22484632;subscriber=0;tmi-sent-ts=1594554085753;turbo=0;user-id=467684514;user-type= :carvedtaleare!carvedtaleare@carvedtaleare.tmi.twitch.tv PRIVMSG #forsen :NaM"#,
            expected: PrivmsgExpectation(
                channel: "forsen",
                roomID: "22484632",
                userID: "467684514",
                login: "carvedtaleare",
                displayName: "CarvedTaleare ",
                messageID: "c9b941d9-a0ab-4534-9903-971768fcdf10",
                sentAt: 1_594_554_085_753,
                text: "NaM"
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_korean_display_name
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: non-ASCII display name",
            line:
                #"@badge-info=subscriber/35;badges=moderator/1,subscriber/3024;color=#FF0000;display-name=테스트계정420;emotes=;flags=;id=bdfa278e-11c4-484f-9491-0a61b16fab60;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1593953876927;turbo=0;user-id=117166826;user-type=mod :testaccount_420!testaccount_420@testaccount_420.tmi.twitch.tv PRIVMSG #pajlada :@asd"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "117166826",
                login: "testaccount_420",
                displayName: "테스트계정420",
                messageID: "bdfa278e-11c4-484f-9491-0a61b16fab60",
                sentAt: 1_593_953_876_927,
                text: "@asd",
                badges: ["moderator/1", "subscriber/3024"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_display_name_with_middle_space
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: display name Riot\\sGames",
            line:
                #"@badge-info=;badges=;color=;display-name=Riot\sGames;emotes=;flags=;id=bdfa278e-11c4-484f-9491-0a61b16fab60;mod=1;room-id=36029255;subscriber=0;tmi-sent-ts=1593953876927;turbo=0;user-id=36029255;user-type= :riotgames!riotgames@riotgames.tmi.twitch.tv PRIVMSG #riotgames :test fake message"#,
            expected: PrivmsgExpectation(
                channel: "riotgames",
                roomID: "36029255",
                userID: "36029255",
                login: "riotgames",
                displayName: "Riot Games",
                messageID: "bdfa278e-11c4-484f-9491-0a61b16fab60",
                sentAt: 1_593_953_876_927,
                text: "test fake message",
                isModerator: true
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_emote_after_emoji
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: emotes after emoji",
            line:
                #"@badge-info=subscriber/22;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=483:2-3,7-8,12-13;flags=;id=3695cb46-f70a-4d6f-a71b-159d434c45b5;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1594557379272;turbo=0;user-id=40286300;user-type=mod :randers!randers@randers.tmi.twitch.tv PRIVMSG #pajlada :👉 <3 👉 <3 👉 <3"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "40286300",
                login: "randers",
                displayName: "randers",
                messageID: "3695cb46-f70a-4d6f-a71b-159d434c45b5",
                sentAt: 1_594_557_379_272,
                text: "👉 <3 👉 <3 👉 <3",
                badges: ["moderator/1", "subscriber/12"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_message_with_bits
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: message with bits",
            line:
                #"@badge-info=;badges=bits/100;bits=1;color=#004B49;display-name=TETYYS;emotes=;flags=;id=d7f03a35-f339-41ca-b4d4-7c0721438570;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts=1594571566672;turbo=0;user-id=36175310;user-type= :tetyys!tetyys@tetyys.tmi.twitch.tv PRIVMSG #pajlada :trihard1"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "36175310",
                login: "tetyys",
                displayName: "TETYYS",
                messageID: "d7f03a35-f339-41ca-b4d4-7c0721438570",
                sentAt: 1_594_571_566_672,
                text: "trihard1",
                badges: ["bits/100"],
                bits: 1
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_incorrect_emote_index
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: Cyrillic text with off-by-one emote",
            line:
                #"@badge-info=;badges=;color=;display-name=some_1_happy;emotes=425618:49-51;flags=24-28:A.3;id=9eb37414-0952-44cc-b177-ad8007088034;mod=0;room-id=35768443;subscriber=0;tmi-sent-ts=1597921035256;turbo=0;user-id=473035780;user-type= :some_1_happy!some_1_happy@some_1_happy.tmi.twitch.tv PRIVMSG #mocbka34 :Я не такой красивый. Не урод, но до тебя далеко LUL"#,
            expected: PrivmsgExpectation(
                channel: "mocbka34",
                roomID: "35768443",
                userID: "473035780",
                login: "some_1_happy",
                displayName: "some_1_happy",
                messageID: "9eb37414-0952-44cc-b177-ad8007088034",
                sentAt: 1_597_921_035_256,
                text: "Я не такой красивый. Не урод, но до тебя далеко LUL"
            )
        ),
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_extremely_incorrect_emote_index
        CapturedPrivmsg(
            source: "twitch-irc-rs privmsg.rs: Swedish text with emote off by two",
            line:
                #"@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;display-name=Linkoping;emotes=25:41-45;flags=17-26:S.6;id=744f9c58-b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=188442366;subscriber=1;tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= :linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #queenqarro :Då kan du begära skadestånd och förtal Kappa"#,
            expected: PrivmsgExpectation(
                channel: "queenqarro",
                roomID: "188442366",
                userID: "91673457",
                login: "linkoping",
                displayName: "Linkoping",
                messageID: "744f9c58-b180-4f46-bd9e-b515b5ef75c1",
                sentAt: 1_566_335_866_017,
                text: "Då kan du begära skadestånd och förtal Kappa",
                badges: ["subscriber/3"],
                isSubscriber: true
            )
        ),
        // source: robotty/twitch-irc-rs src/message/mod.rs, test_privmsg (recent-messages service tags)
        CapturedPrivmsg(
            source: "twitch-irc-rs mod.rs: privmsg with rm-received-ts",
            line:
                #"@rm-received-ts=1577040815136;historical=1;badge-info=subscriber/16;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=;flags=;id=6e2ccb1f-01ed-44d0-85b6-edf762524475;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1577040814959;turbo=0;user-id=40286300;user-type=mod :randers!randers@randers.tmi.twitch.tv PRIVMSG #pajlada :Pajapains"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "40286300",
                login: "randers",
                displayName: "randers",
                messageID: "6e2ccb1f-01ed-44d0-85b6-edf762524475",
                sentAt: 1_577_040_814_959,
                text: "Pajapains",
                badges: ["moderator/1", "subscriber/12"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanPraseBadActionMessageWithoutPanic (empty /me)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: empty ACTION",
            line:
                #"@badges=;color=;display-name=pajlada;emotes=;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts=1522855191000;turbo=0;user-id=11148817;user-type= :pajlada!pajlada@pajlada.tmi.twitch.tv PRIVMSG #pajlada :\#u{01}ACTION\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "11148817",
                login: "pajlada",
                displayName: "pajlada",
                messageID: "",
                sentAt: 1_522_855_191_000,
                text: "",
                isAction: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGMessage "Message With First Message"
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: first message",
            line:
                #"@badges=premium/1;color=#DAA520;display-name=FletcherCodes;emotes=;first-msg=1;flags=;id=6efffc70-27a1-4637-9111-44e5104bb7da;mod=0;room-id=408892348;subscriber=0;tmi-sent-ts=1551473087761;turbo=0;user-id=269899575;user-type= :fletchercodes!fletchercodes@fletchercodes.tmi.twitch.tv PRIVMSG #clippyassistant :Chew your food slower... it's healthier"#,
            expected: PrivmsgExpectation(
                channel: "clippyassistant",
                roomID: "408892348",
                userID: "269899575",
                login: "fletchercodes",
                displayName: "FletcherCodes",
                messageID: "6efffc70-27a1-4637-9111-44e5104bb7da",
                sentAt: 1_551_473_087_761,
                text: "Chew your food slower... it's healthier",
                badges: ["premium/1"]
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGMessage "Message from shared chat"
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: shared chat copy",
            line:
                #"@badge-info=;badges=moderator/1;color=#00FF7F;display-name=Eternalwerecat22;emotes=;flags=;id=fa9da65d-86da-429f-90f1-467a6ac332df;mod=1;room-id=39656772;source-badge-info=subscriber/5;source-badges=subscriber/3;source-id=614e293b-46c8-4f6f-9e35-f53f64254472;source-only=0;source-room-id=655533779;subscriber=0;tmi-sent-ts=1762536730215;turbo=0;user-id=488149571;user-type=mod :eternalwerecat22!eternalwerecat22@eternalwerecat22.tmi.twitch.tv PRIVMSG #vampireblazewing :Video game things"#,
            expected: PrivmsgExpectation(
                channel: "vampireblazewing",
                roomID: "39656772",
                userID: "488149571",
                login: "eternalwerecat22",
                displayName: "Eternalwerecat22",
                messageID: "fa9da65d-86da-429f-90f1-467a6ac332df",
                sentAt: 1_762_536_730_215,
                text: "Video game things",
                badges: ["moderator/1"],
                isModerator: true,
                sourceMessageID: "614e293b-46c8-4f6f-9e35-f53f64254472",
                sourceRoomID: "655533779"
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGUserRoles (broadcaster)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: broadcaster role",
            line:
                #"@badge-info=subscriber/23;badges=broadcaster/1,subscriber/0,sub-gifter/5;client-nonce=8754bd6c285fb6795d58dae6ec70796a;color=#8A2BE2;display-name=hash_table;emotes=;first-msg=0;flags=;id=05eb8c6f-6606-4a44-90f3-fa2d516f9c51;mod=0;returning-chatter=0;room-id=63073510;subscriber=1;tmi-sent-ts=1727526200010;turbo=0;user-id=63073510;user-type= :hash_table!hash_table@hash_table.tmi.twitch.tv PRIVMSG #hash_table :asd"#,
            expected: PrivmsgExpectation(
                channel: "hash_table",
                roomID: "63073510",
                userID: "63073510",
                login: "hash_table",
                displayName: "hash_table",
                messageID: "05eb8c6f-6606-4a44-90f3-fa2d516f9c51",
                sentAt: 1_727_526_200_010,
                text: "asd",
                badges: ["broadcaster/1", "subscriber/0", "sub-gifter/5"],
                isSubscriber: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGUserRoles (moderator)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: moderator role",
            line:
                #"@badge-info=founder/1;badges=moderator/1,founder/0,game-developer/1;color=#8A2BE2;display-name=hash_table;emotes=;first-msg=0;flags=;id=9e9f5092-2372-47cb-a996-09e055e45480;mod=1;returning-chatter=0;room-id=488227870;subscriber=1;tmi-sent-ts=1727528720632;turbo=0;user-id=63073510;user-type=mod :hash_table!hash_table@hash_table.tmi.twitch.tv PRIVMSG #frizzeh :asd"#,
            expected: PrivmsgExpectation(
                channel: "frizzeh",
                roomID: "488227870",
                userID: "63073510",
                login: "hash_table",
                displayName: "hash_table",
                messageID: "9e9f5092-2372-47cb-a996-09e055e45480",
                sentAt: 1_727_528_720_632,
                text: "asd",
                badges: ["moderator/1", "founder/0", "game-developer/1"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGUserRoles (VIP, `vip=1` present)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: VIP role",
            line:
                #"@badge-info=founder/1;badges=vip/1,founder/0,game-developer/1;color=#8A2BE2;display-name=hash_table;emotes=;first-msg=0;flags=;id=cbbd0def-69e6-4cc1-a3bf-6268e737bd69;mod=0;returning-chatter=0;room-id=488227870;subscriber=1;tmi-sent-ts=1727529432379;turbo=0;user-id=63073510;user-type=;vip=1 :hash_table!hash_table@hash_table.tmi.twitch.tv PRIVMSG #frizzeh :asd"#,
            expected: PrivmsgExpectation(
                channel: "frizzeh",
                roomID: "488227870",
                userID: "63073510",
                login: "hash_table",
                displayName: "hash_table",
                messageID: "cbbd0def-69e6-4cc1-a3bf-6268e737bd69",
                sentAt: 1_727_529_432_379,
                text: "asd",
                badges: ["vip/1", "founder/0", "game-developer/1"],
                isSubscriber: true,
                isVIP: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParsePRIVMSGActionMessage
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: ACTION message",
            line:
                #"@badges=premium/1;color=#DAA520;display-name=FletcherCodes;emotes=;flags=;id=6efffc70-27a1-4637-9111-44e5104bb7da;mod=0;room-id=408892348;subscriber=0;tmi-sent-ts=1551473087761;turbo=0;user-id=269899575;user-type= :fletchercodes!fletchercodes@fletchercodes.tmi.twitch.tv PRIVMSG #clippyassistant :\#u{01}ACTION Thrashh5, FeelsWayTooAmazingMan kinda\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "clippyassistant",
                roomID: "408892348",
                userID: "269899575",
                login: "fletchercodes",
                displayName: "FletcherCodes",
                messageID: "6efffc70-27a1-4637-9111-44e5104bb7da",
                sentAt: 1_551_473_087_761,
                text: "Thrashh5, FeelsWayTooAmazingMan kinda",
                isAction: true,
                badges: ["premium/1"]
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseEmoteMessage (also carries old `sent-ts`)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: emote message",
            line:
                #"@badges=;color=#008000;display-name=Zugren;emotes=120232:0-6,13-19,26-32,39-45,52-58;id=51c290e9-1b50-497c-bb03-1667e1afe6e4;mod=0;room-id=11148817;sent-ts=1490382458685;subscriber=0;tmi-sent-ts=1490382456776;turbo=0;user-id=65897106;user-type= :zugren!zugren@zugren.tmi.twitch.tv PRIVMSG #pajlada :TriHard Clap TriHard Clap TriHard Clap TriHard Clap TriHard Clap"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "65897106",
                login: "zugren",
                displayName: "Zugren",
                messageID: "51c290e9-1b50-497c-bb03-1667e1afe6e4",
                sentAt: 1_490_382_456_776,
                text: "TriHard Clap TriHard Clap TriHard Clap TriHard Clap TriHard Clap"
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseBitsMessage
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: bits message",
            line:
                #"@badges=bits/5000;bits=5000;color=#007EFF;display-name=FletcherCodes;emotes=;flags=;id=405c4ccb-7d69-4a57-ac16-292e72ba288b;mod=0;room-id=408892348;subscriber=0;tmi-sent-ts=1551478518354;turbo=0;user-id=269899575;user-type= :fletchercodes!fletchercodes@fletchercodes.tmi.twitch.tv PRIVMSG #clippyassistant :showlove5000 Chew your food slower... it's healthier"#,
            expected: PrivmsgExpectation(
                channel: "clippyassistant",
                roomID: "408892348",
                userID: "269899575",
                login: "fletchercodes",
                displayName: "FletcherCodes",
                messageID: "405c4ccb-7d69-4a57-ac16-292e72ba288b",
                sentAt: 1_551_478_518_354,
                text: "showlove5000 Chew your food slower... it's healthier",
                badges: ["bits/5000"],
                bits: 5000
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestPRIVMSGMalformedEmotesDontCrash (emotes=80481_/3:7-14;
        // the text starts with U+E0000, a tag character some clients add to dodge duplicate detection)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: malformed emotes",
            line:
                #"@badge-info=subscriber/52;badges=moderator/1,subscriber/48;color=#2E8B57;display-name=pajbot;emotes=80481_/3:7-14;flags=;id=1ec936d3-7853-4113-9984-664ac5c42694;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1589640131796;turbo=0;user-id=82008718;user-type=mod :pajbot!pajbot@pajbot.tmi.twitch.tv PRIVMSG #pajlada :\#u{E0000}-tags pajaW_/3.0"#,
            expected: PrivmsgExpectation(
                channel: "pajlada",
                roomID: "11148817",
                userID: "82008718",
                login: "pajbot",
                displayName: "pajbot",
                messageID: "1ec936d3-7853-4113-9984-664ac5c42694",
                sentAt: 1_589_640_131_796,
                text: "\u{E0000}-tags pajaW_/3.0",
                badges: ["moderator/1", "subscriber/48"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseSliceOutOfBoundsMessage
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: slice out of bounds",
            line:
                #"@badge-info=;badges=;color=#D2691E;display-name=xSpeedHack;emotes=245:38-52;flags=28-35:A.6/I.6;id=ebf30552-c327-4602-a346-582ecc880ab5;mod=0;room-id=23304775;subscriber=0;tmi-sent-ts=1556302007395;turbo=0;user-id=189609555;user-type= :xspeedhack!xspeedhack@xspeedhack.tmi.twitch.tv PRIVMSG #turntheslayer :Чет скушные катки Жек когда Хачаги?! ResidentSleeper"#,
            expected: PrivmsgExpectation(
                channel: "turntheslayer",
                roomID: "23304775",
                userID: "189609555",
                login: "xspeedhack",
                displayName: "xSpeedHack",
                messageID: "ebf30552-c327-4602-a346-582ecc880ab5",
                sentAt: 1_556_302_007_395,
                text: "Чет скушные катки Жек когда Хачаги?! ResidentSleeper"
            )
        ),
        // source: gempir/go-twitch-irc test_resources/channel.txt.gz (real #xqcow capture): the ACTION text
        // itself starts with ':' (IRC-G1)
        CapturedPrivmsg(
            source: "go-twitch-irc channel.txt.gz: ACTION text starting with ':'",
            line:
                #"@badge-info=subscriber/10;badges=moderator/1,subscriber/9,partner/1;color=#3F51B5;display-name=Fossabot;emotes=;flags=32-55:,106-128:;id=3a6cf319-4422-4411-8b72-a71ca35dafab;mod=1;room-id=71092938;subscriber=1;tmi-sent-ts=1568505775140;turbo=0;user-id=237719657;user-type=mod :fossabot!fossabot@fossabot.tmi.twitch.tv PRIVMSG #xqcow :\#u{01}ACTION : Feel free to join my discord! https://discord.gg/xqcow (you don't have to be a sub) and follow Twitter! https://twitter.com/xQc\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "xqcow",
                roomID: "71092938",
                userID: "237719657",
                login: "fossabot",
                displayName: "Fossabot",
                messageID: "3a6cf319-4422-4411-8b72-a71ca35dafab",
                sentAt: 1_568_505_775_140,
                text:
                    ": Feel free to join my discord! https://discord.gg/xqcow (you don't have to be a sub) and follow Twitter! https://twitter.com/xQc",
                isAction: true,
                badges: ["moderator/1", "subscriber/9", "partner/1"],
                isModerator: true,
                isSubscriber: true
            )
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanHandleBadEmoteMessage (StreamElements ACTION)
        CapturedPrivmsg(
            source: "go-twitch-irc message_test.go: bad emotes in an ACTION",
            line:
                #"@badge-info=;badges=moderator/1,partner/1;color=#5B99FF;display-name=StreamElements;emotes=86:30-39/822112:73-79;flags=22-27:S.5;id=03c3eec9-afd1-4858-a2e0-fccbf6ad8d1a;mod=1;room-id=506590738;subscriber=0;tmi-sent-ts=1588638345928;turbo=0;user-id=100135110;user-type=mod :streamelements!streamelements@streamelements.tmi.twitch.tv PRIVMSG #nobru :\#u{01}ACTION A LOJA AINDA NÃO ESTÁ PRONTA BibleThump , AGUARDE... NOVIDADES EM BREVE FortOne\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "nobru",
                roomID: "506590738",
                userID: "100135110",
                login: "streamelements",
                displayName: "StreamElements",
                messageID: "03c3eec9-afd1-4858-a2e0-fccbf6ad8d1a",
                sentAt: 1_588_638_345_928,
                text: "A LOJA AINDA NÃO ESTÁ PRONTA BibleThump , AGUARDE... NOVIDADES EM BREVE FortOne",
                isAction: true,
                badges: ["moderator/1", "partner/1"],
                isModerator: true
            )
        ),
        // source: tmijs/tmi.js test/events.js, "action" event (user part of the prefix starts with '~')
        CapturedPrivmsg(
            source: "tmi.js events.js: action",
            line:
                #"@badges=broadcaster/1,warcraft/horde;color=#0D4200;display-name=Schmoopiie;emotes=25:0-4,12-16/1902:6-10;subscriber=0;turbo=1;user-type=global_mod :schmoopiie!~schmoopiie@schmoopiie.tmi.twitch.tv PRIVMSG #schmoopiie :\#u{01}ACTION Hello :)\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "schmoopiie",
                roomID: "",
                userID: "",
                login: "schmoopiie",
                displayName: "Schmoopiie",
                messageID: "",
                sentAt: nil,
                text: "Hello :)",
                isAction: true,
                badges: ["broadcaster/1", "warcraft/horde"]
            )
        ),
        // source: tmijs/tmi.js test/events.js, "chat" event (badge set with digits and '_')
        CapturedPrivmsg(
            source: "tmi.js events.js: chat",
            line:
                #"@badge-info=subscriber/21;badges=broadcaster/1,subscriber/12,overwatch-league-insider_2019A/1;color=#177DE3;display-name=Alca;emotes=499:3-4;flags=;id=c5ddcb05-85ae-4a60-91bc-7704c7031257;mod=0;room-id=7676884;subscriber=1;tmi-sent-ts=1554296462753;turbo=0;user-id=7676884;user-type= :alca!alca@alca.tmi.twitch.tv PRIVMSG #alca :Hi :)"#,
            expected: PrivmsgExpectation(
                channel: "alca",
                roomID: "7676884",
                userID: "7676884",
                login: "alca",
                displayName: "Alca",
                messageID: "c5ddcb05-85ae-4a60-91bc-7704c7031257",
                sentAt: 1_554_296_462_753,
                text: "Hi :)",
                badges: ["broadcaster/1", "subscriber/12", "overwatch-league-insider_2019A/1"],
                isSubscriber: true
            )
        ),
        // source: tmijs/tmi.js test/events.js, "cheer" event as an ACTION
        CapturedPrivmsg(
            source: "tmi.js events.js: cheer in an action",
            line:
                #"@badges=broadcaster/1,warcraft/horde;color=#0D4200;bits=100;display-name=Schmoopiie;emotes=;subscriber=0;turbo=1;user-type=global_mod :schmoopiie!~schmoopiie@schmoopiie.tmi.twitch.tv PRIVMSG #schmoopiie :\#u{01}ACTION cheer100 Hello :)\#u{01}"#,
            expected: PrivmsgExpectation(
                channel: "schmoopiie",
                roomID: "",
                userID: "",
                login: "schmoopiie",
                displayName: "Schmoopiie",
                messageID: "",
                sentAt: nil,
                text: "cheer100 Hello :)",
                isAction: true,
                badges: ["broadcaster/1", "warcraft/horde"],
                bits: 100
            )
        ),
        // source: tmijs/tmi.js test/events.js, "redeem" event (custom-reward-id, no badges tag at all)
        CapturedPrivmsg(
            source: "tmi.js events.js: channel points redemption",
            line:
                #"@badge-info=;color=#0FC7D1;custom-reward-id=27c8e486-a386-40cc-9a4b-dbb5cf01e439;display-name=MurdocTurner;emotes=;flags=;id=702b9546-f0fe-41cb-b35b-fba5f8315909;mod=1;room-id=7676884;subscriber=0;tmi-sent-ts=1607582291194;turbo=0;user-id=89983882;user-type=mod :murdocturner!murdocturner@murdocturner.tmi.twitch.tv PRIVMSG #channel :lol"#,
            expected: PrivmsgExpectation(
                channel: "channel",
                roomID: "7676884",
                userID: "89983882",
                login: "murdocturner",
                displayName: "MurdocTurner",
                messageID: "702b9546-f0fe-41cb-b35b-fba5f8315909",
                sentAt: 1_607_582_291_194,
                text: "lol",
                isModerator: true,
                customRewardID: "27c8e486-a386-40cc-9a4b-dbb5cf01e439"
            )
        ),
        // source: tmijs/tmi.js test/events.js, "redeem" event (highlighted message, msg-id on a PRIVMSG)
        CapturedPrivmsg(
            source: "tmi.js events.js: highlighted message",
            line:
                #"@badge-info=;color=#0FC7D1;display-name=MurdocTurner;emotes=;flags=;id=3da15282-3268-402e-8fc7-d736d7093077;mod=1;msg-id=highlighted-message;room-id=121476331;subscriber=0;tmi-sent-ts=1607586921729;turbo=0;user-id=89983882;user-type=mod :murdocturner!murdocturner@murdocturner.tmi.twitch.tv PRIVMSG #channel :test123"#,
            expected: PrivmsgExpectation(
                channel: "channel",
                roomID: "121476331",
                userID: "89983882",
                login: "murdocturner",
                displayName: "MurdocTurner",
                messageID: "3da15282-3268-402e-8fc7-d736d7093077",
                sentAt: 1_607_586_921_729,
                text: "test123",
                isModerator: true
            )
        ),
        // source: TwitchLib/TwitchLib.Client TwitchLib.Client.Test/TwitchClientEventTests.cs (OnMessageReceived)
        CapturedPrivmsg(
            source: "TwitchLib.Client TwitchClientEventTests.cs: message received",
            line:
                #"@badges=subscriber/0,premium/1;color=#005C0B;display-name=KIJUI;emotes=30259:0-6;id=fefffeeb-1e87-4adf-9912-ca371a18cbfd;mod=0;room-id=22510310;subscriber=1;tmi-sent-ts=1530128909202;turbo=0;user-id=25517628;user-type= :kijui!kijui@kijui.tmi.twitch.tv PRIVMSG #testchannel :TEST MESSAGE"#,
            expected: PrivmsgExpectation(
                channel: "testchannel",
                roomID: "22510310",
                userID: "25517628",
                login: "kijui",
                displayName: "KIJUI",
                messageID: "fefffeeb-1e87-4adf-9912-ca371a18cbfd",
                sentAt: 1_530_128_909_202,
                text: "TEST MESSAGE",
                badges: ["subscriber/0", "premium/1"],
                isSubscriber: true
            )
        ),
    ]
}

/// Captured `PRIVMSG` lines, every field asserted.
@Suite struct CapturedPrivmsgTests {
    @Test("IRC-G4/G7/G9 captured PRIVMSG lines parse to exact fields", arguments: CapturedPrivmsg.all)
    func privmsgFields(_ captured: CapturedPrivmsg) throws {
        let event = try ChatEvent(parsing: captured.line)
        guard case .privmsg(let message) = event else {
            Issue.record("expected .privmsg, got \(event)")
            return
        }
        let expected = captured.expected
        #expect(message.channel == expected.channel)
        #expect(message.roomID == expected.roomID)
        #expect(message.userID == expected.userID)
        #expect(message.login == expected.login)
        #expect(message.displayName == expected.displayName)
        #expect(message.messageID == expected.messageID)
        #expect(message.sentAtMilliseconds == expected.sentAt)
        #expect(message.text == expected.text)
        #expect(message.isAction == expected.isAction)
        #expect(message.badges.map(\.description) == expected.badges)
        #expect(message.bits == expected.bits)
        #expect(message.isModerator == expected.isModerator)
        #expect(message.isSubscriber == expected.isSubscriber)
        #expect(message.isVIP == expected.isVIP)
        #expect(message.reply == expected.reply)
        #expect(message.sourceMessageID == expected.sourceMessageID)
        #expect(message.sourceRoomID == expected.sourceRoomID)
        #expect(message.customRewardID == expected.customRewardID)
        #expect(message.raw.line == captured.line[...])
    }

    @Test("IRC-G9 a Shared Chat copy is told apart from the source message")
    func sharedChatCopy() throws {
        let source = try #require(CapturedPrivmsg.all.first { $0.source == "twitch docs: shared chat, source channel" })
        let copy = try #require(CapturedPrivmsg.all.first { $0.source == "twitch docs: shared chat, duplicated copy" })
        let sourceMessage = try #require(ChatMessage(IRCMessage(parsing: source.line)))
        let copyMessage = try #require(ChatMessage(IRCMessage(parsing: copy.line)))
        #expect(!sourceMessage.isSharedChatCopy)
        #expect(copyMessage.isSharedChatCopy)
        #expect(sourceMessage.sourceMessageID == copyMessage.sourceMessageID)
        #expect(sourceMessage.messageID != copyMessage.messageID)
    }

    @Test("IRC-G7 sentAt converts tmi-sent-ts milliseconds to a Date")
    func sentAtDate() throws {
        let line = try #require(CapturedPrivmsg.all.first).line
        let message = try #require(ChatMessage(IRCMessage(parsing: line)))
        let date = try #require(message.sentAt)
        #expect(date.timeIntervalSince1970 == 1_507_246_572.675)
    }

    @Test("IRC-G6 badges keep string versions and unusual set names")
    func badgeShapes() throws {
        let line = try #require(CapturedPrivmsg.all.first { $0.source == "tmi.js events.js: action" }).line
        let message = try #require(ChatMessage(IRCMessage(parsing: line)))
        #expect(message.badges == [ChatBadge(set: "broadcaster", version: "1"), ChatBadge(set: "warcraft", version: "horde")])
        #expect(message.isBroadcaster)
        #expect(
            ChatBadge.parseList("a/1,,b,/2") == [
                ChatBadge(set: "a", version: "1"), ChatBadge(set: "b", version: ""), ChatBadge(set: "", version: "2"),
            ]
        )
    }

    @Test("IRC-G7 any other tag stays reachable through raw")
    func otherTags() throws {
        let line = try #require(CapturedPrivmsg.all.first { $0.source == "twitch docs: tag reference introduction" })
            .line
        let message = try #require(ChatMessage(IRCMessage(parsing: line)))
        #expect(message.raw.tag("client-nonce") == "997dcf443c31e258c1d32a8da47b6936")
        #expect(message.raw.tag("flags") == "0-6:S.7")
        #expect(message.raw.tag("user-type") == "")
        #expect(message.raw.tag("nope") == nil)
        #expect(!message.isFirstMessage)
    }
}
