import ChatBridge
import Testing

/// Emote positions (IRC-G5): Unicode scalars, inclusive ends, broken ranges clamped or skipped.
@Suite struct ChatEmoteTests {
    /// Parses `line` as a PRIVMSG and returns its emotes as (id, range, code) triples.
    private func emotes(_ line: String) throws -> [ChatEmote] {
        let message = try #require(ChatMessage(IRCMessage(parsing: line)))
        return message.emotes
    }

    @Test("IRC-G5 documented emotes resolve to their names, ordered by position")
    func documentedEmotes() throws {
        // source: dev.twitch.tv/docs/chat/irc, "PRIVMSG Tags" example
        let line =
            #"@badge-info=;badges=turbo/1;color=#0D4200;display-name=ronni;emotes=25:0-4,12-16/1902:6-10;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;room-id=1337;subscriber=0;tmi-sent-ts=1507246572675;turbo=1;user-id=1337;user-type=global_mod :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :Kappa Keepo Kappa"#
        #expect(
            try emotes(line) == [
                ChatEmote(id: "25", range: 0..<5, code: "Kappa"),
                ChatEmote(id: "1902", range: 6..<11, code: "Keepo"),
                ChatEmote(id: "25", range: 12..<17, code: "Kappa"),
            ]
        )
    }

    @Test("IRC-G5 indices count Unicode scalars, so an emoji counts once")
    func emojiCountsOnce() throws {
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_emote_after_emoji
        let line =
            #"@badge-info=subscriber/22;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=483:2-3,7-8,12-13;flags=;id=3695cb46-f70a-4d6f-a71b-159d434c45b5;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1594557379272;turbo=0;user-id=40286300;user-type=mod :randers!randers@randers.tmi.twitch.tv PRIVMSG #pajlada :👉 <3 👉 <3 👉 <3"#
        #expect(try emotes(line).map(\.code) == ["<3", "<3", "<3"])
        #expect(try emotes(line).map(\.range) == [2..<4, 7..<9, 12..<14])
    }

    @Test("IRC-G5 emote ids are strings (300196486_TK)")
    func stringIDs() throws {
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_emote_non_numeric_id
        let line =
            #"@badge-info=;badges=;client-nonce=245b864d508a69a685e25104204bd31b;color=#FF144A;display-name=AvianArtworks;emote-only=1;emotes=300196486_TK:0-7;flags=;id=21194e0d-f0fa-4a8f-a14f-3cbe89366ad9;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts=1594552113129;turbo=0;user-id=39565465;user-type= :avianartworks!avianartworks@avianartworks.tmi.twitch.tv PRIVMSG #pajlada :pajaM_TK"#
        #expect(try emotes(line) == [ChatEmote(id: "300196486_TK", range: 0..<8, code: "pajaM_TK")])
    }

    @Test("IRC-G5 many ranges of several ids")
    func manyRanges() throws {
        // source: robotty/twitch-irc-rs src/message/commands/privmsg.rs, test_emotes
        let line =
            #"@badge-info=subscriber/22;badges=moderator/1,subscriber/12;color=#19E6E6;display-name=randers;emotes=1902:6-10,29-33,35-39/499:45-46,48-49/490:51-52/25:0-4,12-16,18-22;flags=;id=f9c5774b-faa7-4378-b1af-c4e08b532dc2;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1594556065407;turbo=0;user-id=40286300;user-type=mod :randers!randers@randers.tmi.twitch.tv PRIVMSG #pajlada :Kappa Keepo Kappa Kappa test Keepo Keepo 123 :) :) :P"#
        let found = try emotes(line)
        #expect(found.map(\.code) == ["Kappa", "Keepo", "Kappa", "Kappa", "Keepo", "Keepo", ":)", ":)", ":P"])
        #expect(found.map(\.id) == ["25", "1902", "25", "25", "1902", "1902", "499", "499", "490"])
    }

    /// A real line whose emote ranges are wrong, with what the clamped result must be.
    struct BrokenEmoteCase: Sendable, CustomTestStringConvertible {
        let source: String
        let line: String
        let expected: [ChatEmote]
        var testDescription: String { source }
    }

    static let brokenCases: [BrokenEmoteCase] = [
        // source: robotty/twitch-irc-rs privmsg.rs, test_incorrect_emote_index (off by one after Cyrillic)
        BrokenEmoteCase(
            source: "twitch-irc-rs: off by one",
            line:
                #"@badge-info=;badges=;color=;display-name=some_1_happy;emotes=425618:49-51;flags=24-28:A.3;id=9eb37414-0952-44cc-b177-ad8007088034;mod=0;room-id=35768443;subscriber=0;tmi-sent-ts=1597921035256;turbo=0;user-id=473035780;user-type= :some_1_happy!some_1_happy@some_1_happy.tmi.twitch.tv PRIVMSG #mocbka34 :Я не такой красивый. Не урод, но до тебя далеко LUL"#,
            expected: [ChatEmote(id: "425618", range: 49..<51, code: "UL")]
        ),
        // source: robotty/twitch-irc-rs privmsg.rs, test_extremely_incorrect_emote_index
        BrokenEmoteCase(
            source: "twitch-irc-rs: off by two",
            line:
                #"@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;display-name=Linkoping;emotes=25:41-45;flags=17-26:S.6;id=744f9c58-b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=188442366;subscriber=1;tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= :linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #queenqarro :Då kan du begära skadestånd och förtal Kappa"#,
            expected: [ChatEmote(id: "25", range: 41..<44, code: "ppa")]
        ),
        // source: robotty/twitch-irc-rs privmsg.rs, test_emote_index_complete_out_of_range
        BrokenEmoteCase(
            source: "twitch-irc-rs: completely out of range",
            line:
                #"@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;display-name=Linkoping;emotes=25:44-48;flags=17-26:S.6;id=744f9c58-b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=188442366;subscriber=1;tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= :linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #queenqarro :Då kan du begära skadestånd och förtal Kappa"#,
            expected: []
        ),
        // source: robotty/twitch-irc-rs privmsg.rs, test_emote_index_beyond_out_of_range
        BrokenEmoteCase(
            source: "twitch-irc-rs: beyond out of range",
            line:
                #"@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;display-name=Linkoping;emotes=25:45-49;flags=17-26:S.6;id=744f9c58-b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=188442366;subscriber=1;tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= :linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #queenqarro :Då kan du begära skadestånd och förtal Kappa"#,
            expected: []
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanHandleBadEmoteMessage (twitchdev/issues#104)
        BrokenEmoteCase(
            source: "go-twitch-irc: off by one after å",
            line:
                #"@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;display-name=Linkoping;emotes=25:40-44;flags=17-26:S.6;id=744f9c58-b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=188442366;subscriber=1;tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= :linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #queenqarro :Då kan du begära skadestånd och förtal Kappa"#,
            expected: [ChatEmote(id: "25", range: 40..<44, code: "appa")]
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanHandleBadEmoteMessage (ACTION, indices shifted)
        BrokenEmoteCase(
            source: "go-twitch-irc: shifted indices in an ACTION",
            line:
                #"@badge-info=;badges=moderator/1,partner/1;color=#5B99FF;display-name=StreamElements;emotes=86:30-39/822112:73-79;flags=22-27:S.5;id=03c3eec9-afd1-4858-a2e0-fccbf6ad8d1a;mod=1;room-id=506590738;subscriber=0;tmi-sent-ts=1588638345928;turbo=0;user-id=100135110;user-type=mod :streamelements!streamelements@streamelements.tmi.twitch.tv PRIVMSG #nobru :\#u{01}ACTION A LOJA AINDA NÃO ESTÁ PRONTA BibleThump , AGUARDE... NOVIDADES EM BREVE FortOne\#u{01}"#,
            expected: [
                ChatEmote(id: "86", range: 30..<40, code: "ibleThump "),
                ChatEmote(id: "822112", range: 73..<79, code: "ortOne"),
            ]
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanHandleBadEmoteMessage (jhoelsc, é shifts all)
        BrokenEmoteCase(
            source: "go-twitch-irc: every range shifted after é",
            line:
                #"@badge-info=subscriber/1;badges=subscriber/0;color=;display-name=jhoelsc;emotes=301683486:46-58,60-72,74-86/301683544:88-100;flags=0-4:S.6;id=1f1afcdd-d94c-4699-b35f-d214deb1e11a;mod=0;room-id=167189231;subscriber=1;tmi-sent-ts=1588640587462;turbo=0;user-id=505763008;user-type= :jhoelsc!jhoelsc@jhoelsc.tmi.twitch.tv PRIVMSG #staryuuki :pensé que no habría directo que bueno que si staryuukiLove staryuukiLove staryuukiLove staryuukiBits"#,
            expected: [
                ChatEmote(id: "301683486", range: 46..<59, code: "taryuukiLove "),
                ChatEmote(id: "301683486", range: 60..<73, code: "taryuukiLove "),
                ChatEmote(id: "301683486", range: 74..<87, code: "taryuukiLove "),
                ChatEmote(id: "301683544", range: 88..<100, code: "taryuukiBits"),
            ]
        ),
        // source: gempir/go-twitch-irc message_test.go, TestPRIVMSGMalformedEmotesDontCrash (id containing '/')
        BrokenEmoteCase(
            source: "go-twitch-irc: emotes=80481_/3:7-14",
            line:
                #"@badge-info=subscriber/52;badges=moderator/1,subscriber/48;color=#2E8B57;display-name=pajbot;emotes=80481_/3:7-14;flags=;id=1ec936d3-7853-4113-9984-664ac5c42694;mod=1;room-id=11148817;subscriber=1;tmi-sent-ts=1589640131796;turbo=0;user-id=82008718;user-type=mod :pajbot!pajbot@pajbot.tmi.twitch.tv PRIVMSG #pajlada :\#u{E0000}-tags pajaW_/3.0"#,
            expected: [ChatEmote(id: "80481_/3", range: 7..<15, code: "pajaW_/3")]
        ),
        // source: gempir/go-twitch-irc message_test.go, TestCanParseSliceOutOfBoundsMessage
        BrokenEmoteCase(
            source: "go-twitch-irc: slice out of bounds",
            line:
                #"@badge-info=;badges=;color=#D2691E;display-name=xSpeedHack;emotes=245:38-52;flags=28-35:A.6/I.6;id=ebf30552-c327-4602-a346-582ecc880ab5;mod=0;room-id=23304775;subscriber=0;tmi-sent-ts=1556302007395;turbo=0;user-id=189609555;user-type= :xspeedhack!xspeedhack@xspeedhack.tmi.twitch.tv PRIVMSG #turntheslayer :Чет скушные катки Жек когда Хачаги?! ResidentSleeper"#,
            expected: [ChatEmote(id: "245", range: 38..<52, code: "esidentSleeper")]
        ),
    ]

    @Test("IRC-G5 wrong ranges in real data are clamped or skipped", arguments: brokenCases)
    func brokenRanges(_ testCase: BrokenEmoteCase) throws {
        #expect(try emotes(testCase.line) == testCase.expected)
    }

    @Test(
        "IRC-G5 malformed emote tags never trap",
        arguments: [
            ("25:", [ChatEmote]()),
            (":0-4", []),
            ("25:4-0", []),
            ("25:a-b", []),
            ("25:-1-3", []),
            ("25:0-", []),
            ("25:99999999999-3", []),
            ("25:0-99999999999", []),
            ("/", []),
            ("//", []),
            ("25", []),
            ("25:0-4,", [ChatEmote(id: "25", range: 0..<5, code: "Kappa")]),
            ("25:0-4//1902:6-10", [ChatEmote(id: "25", range: 0..<5, code: "Kappa"), ChatEmote(id: "1902", range: 6..<11, code: "Keepo")]),
            ("25:0-400", [ChatEmote(id: "25", range: 0..<11, code: "Kappa Keepo")]),
            ("25:11-11", []),
            ("25:10-10", [ChatEmote(id: "25", range: 10..<11, code: "o")]),
        ]
    )
    func malformedTags(raw: String, expected: [ChatEmote]) {
        #expect(ChatEmote.parseList(raw, in: "Kappa Keepo") == expected)
    }

    @Test("IRC-G5 emotes on an empty text are all skipped")
    func emptyText() {
        #expect(ChatEmote.parseList("25:0-4", in: "").isEmpty)
        #expect(ChatEmote.parseList("", in: "Kappa").isEmpty)
    }
}
