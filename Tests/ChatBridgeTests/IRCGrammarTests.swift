import ChatBridge
import Testing

/// Message grammar (IRC-G1): tags, prefix shapes, command, parameters and the trailing parameter.
@Suite struct IRCGrammarTests {
    @Test("IRC-G1 a full tagged PRIVMSG splits into tags, prefix, command and params")
    func fullLine() throws {
        let message = try IRCMessage(parsing: "@a=b;c :nick!user@host.tmi.twitch.tv PRIVMSG #chan :hello there")
        #expect(message.tags.rawValue == "a=b;c")
        #expect(message.rawPrefix == "nick!user@host.tmi.twitch.tv")
        #expect(message.command == "PRIVMSG")
        #expect(message.params == ["#chan", "hello there"])
        #expect(message.paramCount == 2)
        #expect(message.firstParam == "#chan")
        #expect(message.lastParam == "hello there")
        #expect(message.trailing == "hello there")
        #expect(message.numericCode == nil)
    }

    /// A prefix as sent and how it must parse.
    struct PrefixCase: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: IRCPrefix
        var testDescription: String { line }
    }

    @Test(
        "IRC-G1 all prefix shapes Twitch sends",
        arguments: [
            // source: dev.twitch.tv/docs/chat/irc (server prefix)
            PrefixCase(line: ":tmi.twitch.tv RECONNECT", expected: .server("tmi.twitch.tv")),
            // source: dev.twitch.tv/docs/chat/irc (user mask)
            PrefixCase(
                line: ":ronni!ronni@ronni.tmi.twitch.tv PART #dallas",
                expected: .user(nick: "ronni", user: "ronni", host: "ronni.tmi.twitch.tv")
            ),
            // source: dev.twitch.tv/docs/chat/irc (353/366 use nick.tmi.twitch.tv)
            PrefixCase(
                line: ":bar.tmi.twitch.tv 366 bar #twitchdev :End of /NAMES list",
                expected: .server("bar.tmi.twitch.tv")
            ),
            // source: tmijs/tmi.js test/events.js (user part with '~')
            PrefixCase(
                line: ":schmoopiie!~schmoopiie@schmoopiie.tmi.twitch.tv PRIVMSG #schmoopiie :hi",
                expected: .user(nick: "schmoopiie", user: "~schmoopiie", host: "schmoopiie.tmi.twitch.tv")
            ),
            // source: robotty/twitch-irc-rs src/message/mod.rs, test_complex_prefix (control characters in host)
            PrefixCase(
                line: ":coolguy!~ag@n\u{02}et\u{03}05w\u{0f}ork.admin PRIVMSG foo :bar baz",
                expected: .user(nick: "coolguy", user: "~ag", host: "n\u{02}et\u{03}05w\u{0f}ork.admin")
            ),
            // source: tmijs/tmi.js test/events.js (bare nick)
            PrefixCase(line: ":jtv MODE #schmoopiie +o schmoopiie", expected: .user(nick: "jtv", user: nil, host: nil)),
            PrefixCase(line: ":nick@host CMD", expected: .user(nick: "nick", user: nil, host: "host")),
        ]
    )
    func prefixShapes(_ testCase: PrefixCase) throws {
        #expect(try IRCMessage(parsing: testCase.line).prefix == testCase.expected)
    }

    /// A line from the IRCv3 parser test corpus and its expected parts.
    struct SplitCase: Sendable, CustomTestStringConvertible {
        let line: String
        let command: String
        let params: [String]
        let trailing: String?
        var testDescription: String { line }
    }

    @Test(
        "IRC-G1 only the first ' :' starts the trailing parameter, which may itself start with ':'",
        arguments: [
            // source: robotty/twitch-irc-rs src/message/mod.rs (cases from the ircv3 parser-tests corpus)
            SplitCase(line: ":coolguy foo bar baz asdf", command: "foo", params: ["bar", "baz", "asdf"], trailing: nil),
            SplitCase(line: "foo bar baz ::asdf", command: "foo", params: ["bar", "baz", ":asdf"], trailing: ":asdf"),
            SplitCase(
                line: ":coolguy foo bar baz :  asdf quux ",
                command: "foo",
                params: ["bar", "baz", "  asdf quux "],
                trailing: "  asdf quux "
            ),
            SplitCase(line: ":coolguy PRIVMSG bar :lol :) ", command: "PRIVMSG", params: ["bar", "lol :) "], trailing: "lol :) "),
            SplitCase(line: ":coolguy foo bar baz :", command: "foo", params: ["bar", "baz", ""], trailing: ""),
            SplitCase(line: ":coolguy foo bar baz :  ", command: "foo", params: ["bar", "baz", "  "], trailing: "  "),
            SplitCase(line: ":src JOIN #chan", command: "JOIN", params: ["#chan"], trailing: nil),
            SplitCase(line: ":src JOIN :#chan", command: "JOIN", params: ["#chan"], trailing: "#chan"),
            SplitCase(line: ":src AWAY", command: "AWAY", params: [], trailing: nil),
            SplitCase(line: "PING asd def :", command: "PING", params: ["asd", "def", ""], trailing: ""),
            SplitCase(
                line: "500 :Internal Server Error",
                command: "500",
                params: ["Internal Server Error"],
                trailing: "Internal Server Error"
            ),
            // source: robotty/twitch-irc-rs src/message/mod.rs, test_vendor_tags
            SplitCase(
                line: "@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4 :irc.example.com COMMAND param1 param2 :param3 param3",
                command: "COMMAND",
                params: ["param1", "param2", "param3 param3"],
                trailing: "param3 param3"
            ),
            // source: gempir/go-twitch-irc message_test.go, TestCantParseInvalidMessage (parses as plain IRC)
            SplitCase(line: "@my :test message", command: "message", params: [], trailing: nil),
            // source: gempir/go-twitch-irc message_test.go, TestCantParseNoTagsMessage
            SplitCase(line: "my test message", command: "my", params: ["test", "message"], trailing: nil),
            // source: tmijs/tmi.js test/invalid.js
            SplitCase(line: "FOO", command: "FOO", params: [], trailing: nil),
            // tolerated: runs of spaces between parameters, a trailing space, a CRLF left on the line
            SplitCase(
                line: "PRIVMSG  #chan   word  :a :b  c\r\n",
                command: "PRIVMSG",
                params: ["#chan", "word", "a :b  c"],
                trailing: "a :b  c"
            ),
            SplitCase(line: "PING asd def ", command: "PING", params: ["asd", "def"], trailing: nil),
        ]
    )
    func parameterSplitting(_ testCase: SplitCase) throws {
        let message = try IRCMessage(parsing: testCase.line)
        #expect(message.command == testCase.command[...])
        #expect(message.params.map(String.init) == testCase.params)
        #expect(message.paramCount == testCase.params.count)
        #expect(message.trailing.map(String.init) == testCase.trailing)
        #expect(message.lastParam.map(String.init) == testCase.params.last)
    }

    @Test(
        "IRC-G1 malformed lines are rejected with an error code",
        arguments: [
            ("", IRCParseError.Code.emptyLine),
            ("   ", .emptyLine),
            ("\r\n", .emptyLine),
            ("@", .missingCommand),
            ("@a=b", .missingCommand),
            (":", .missingCommand),
            (":tmi.twitch.tv", .missingCommand),
            ("@key=value :tmi.twitch.tv", .missingCommand),
            ("@key=value :tmi.twitch.tv ", .missingCommand),
            ("@ :tmi.twitch.tv TEST", .emptyTags),
            ("@key=value : TEST", .emptyPrefix),
            (": PING", .emptyPrefix),
            ("@key=value :tmi.twitch.tv P!NG", .invalidCommand),
            ("@key=value :tmi.twitch.tv PØNG", .invalidCommand),
            ("@key=value :tmi.twitch.tv P1NG", .invalidCommand),
            ("12 :too short for a numeric", .invalidCommand),
            ("1234 :too long for a numeric", .invalidCommand),
            ("\u{01}ACTION", .invalidCommand),
        ]
    )
    func malformed(line: String, code: IRCParseError.Code) {
        #expect {
            try IRCMessage(parsing: line)
        } throws: { error in
            (error as? IRCParseError)?.code == code
        }
    }

    @Test("IRC-G1 a documented line truncated after its tags is a missing command")
    func truncatedDocsLine() {
        // source: dev.twitch.tv/docs/chat/irc, "PRIVMSG Tags" VIP example (printed without prefix/command)
        let line =
            #"@badge-info=;badges=vip/1,partner/1;client-nonce=cd15335a5e2059c3b087e22612de485e;color=;display-name=fun2bfun;emotes=;first-msg=0;flags=;id=1fd20412-965f-4c96-beb3-52266448f564;mod=0;returning-chatter=0;room-id=102336968;subscriber=0;tmi-sent-ts=1661372052425;turbo=0;user-id=12345678;user-type=;vip=1"#
        #expect(throws: IRCParseError(code: .missingCommand, message: "no command after tags/prefix")) {
            try IRCMessage(parsing: line)
        }
        // source: gempir/go-twitch-irc message_test.go, TestCantParsePartialMessage (cut inside the tags)
        let partial =
            #"@badges=;color=;display-name=ZZZi;emotes=;flags=;id=75bb6b6b-e36c-49af-a293-16024738ab92;mod=0;room-id=36029255;subscriber=0;tmi-sent-ts=1551476573570;turbo"#
        #expect(throws: IRCParseError.self) { try IRCMessage(parsing: partial) }
    }

    @Test("IRC-G1 ChatEvent falls back to .unknown when a known command lacks its channel")
    func knownCommandWithoutChannel() throws {
        for line in [":a!a@a PRIVMSG", ":tmi.twitch.tv CLEARCHAT", "NOTICE", "ROOMSTATE", "JOIN", "CAP * LS"] {
            let event = try ChatEvent(parsing: line)
            guard case .unknown(let message) = event else {
                Issue.record("\(line) should be .unknown, got \(event)")
                continue
            }
            #expect(message.line == line[...])
        }
    }

    @Test("IRC-T6 a 10 KB line parses without a 512-byte cap")
    func longLine() throws {
        let text = String(repeating: "Kappa ", count: 1_700)
        let tags = (0..<200).map { "k\($0)=v\($0)" }.joined(separator: ";")
        let line = "@\(tags);id=x :a!a@a.tmi.twitch.tv PRIVMSG #chan :\(text)"
        #expect(line.utf8.count > 10_000)
        let message = try #require(ChatMessage(IRCMessage(parsing: line)))
        #expect(message.text == text)
        #expect(message.messageID == "x")
        #expect(message.raw.tag("k199") == "v199")
    }

    @Test("IRC-G1 invalid UTF-8 bytes are decoded lossily, never trapping")
    func invalidUTF8() throws {
        var bytes = Array(":a!a@a.tmi.twitch.tv PRIVMSG #chan :caf".utf8)
        bytes += [0xC3, 0x28, 0xFF, 0xFE]
        let message = try #require(ChatMessage(IRCMessage(parsingBytes: bytes)))
        #expect(message.text == "caf\u{FFFD}(\u{FFFD}\u{FFFD}")
        #expect(message.channel == "chan")
    }

    @Test("IRC-G1 parsing a slice keeps offsets relative to the slice")
    func substringInput() throws {
        let frame = "xxxx@id=1 :a!a@a PRIVMSG #c :hi\r\nyyyy"
        let start = frame.index(frame.startIndex, offsetBy: 4)
        let end = try #require(frame.utf8.firstIndex(of: 0x0D))
        let message = try IRCMessage(parsing: frame[start..<end])
        #expect(message.tag("id") == "1")
        #expect(message.params == ["#c", "hi"])
        #expect(try ChatEvent(message) == ChatEvent(parsing: "@id=1 :a!a@a PRIVMSG #c :hi"))
    }
}
