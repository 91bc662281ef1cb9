import ChatBridge
import Testing

/// Tag splitting (IRC-G2) and unescaping (IRC-G3).
@Suite struct IRCTagTests {
    @Test("IRC-G3 unescapes every tag escape")
    func everyEscape() throws {
        // source: robotty/twitch-irc-rs src/message/mod.rs, test_pure_irc_7 (ircv3 parser-tests corpus)
        let message = try IRCMessage(parsing: #"@a=b\\and\nk;c=72\s45;d=gh\:764 foo"#)
        #expect(message.tag("a") == "b\\and\nk")
        #expect(message.tag("c") == "72 45")
        #expect(message.tag("d") == "gh;764")
        #expect(try IRCMessage(parsing: #"@x=cr\rlf\n :s CMD"#).tag("x") == "cr\rlf\n")
    }

    @Test(
        "IRC-G3 unknown escapes drop the backslash, a lone trailing backslash is dropped",
        arguments: [
            (#"a\bc"#, "abc"),
            (#"abc\"#, "abc"),
            (#"\"#, ""),
            (#"\\"#, "\\"),
            (#"\\\"#, "\\"),
            (#"\\s"#, "\\s"),
            (#"\:\s\\\r\n"#, "; \\\r\n"),
            (#"\é"#, "é"),
            (#"no_escapes"#, "no_escapes"),
        ]
    )
    func escapeEdges(raw: String, expected: String) throws {
        #expect(IRCTags.unescape(raw) == expected)
        // The parser's byte-level path must agree with the string-level one.
        #expect(try IRCMessage(parsing: "@k=\(raw) CMD").tag("k") == expected)
        let privmsg = try #require(ChatMessage(IRCMessage(parsing: "@display-name=\(raw) :a!a@a PRIVMSG #c :t")))
        #expect(privmsg.displayName == expected)
    }

    @Test("IRC-G2 tags split on ';' then on the first '=', bare keys and key= are empty")
    func splitting() throws {
        // source: robotty/twitch-irc-rs src/message/mod.rs, test_pure_irc_6 and test_pure_irc_8
        let first = try IRCMessage(parsing: "@a=b;c=32;k;rt=ql7 foo")
        #expect(first.tags.dictionary == ["a": "b", "c": "32", "k": "", "rt": "ql7"])
        let second = try IRCMessage(parsing: "@c;h=;a=b :quux ab cd")
        #expect(second.tags.dictionary == ["c": "", "h": "", "a": "b"])
        #expect(second.tag("c") == "")
        #expect(second.tag("h") == "")
        #expect(second.tag("missing") == nil)
        #expect(second.tags.contains("c"))
        let equals = try IRCMessage(parsing: "@url=a=b==c;;empty= CMD")
        #expect(equals.tag("url") == "a=b==c")
        #expect(equals.tag("empty") == "")
        #expect(equals.tags.map { String($0.key) } == ["url", "empty"])
    }

    @Test("IRC-G2 a repeated key takes its last value")
    func duplicateKeys() throws {
        let message = try IRCMessage(parsing: "@id=first;id=second :a!a@a PRIVMSG #c :t")
        #expect(message.tag("id") == "second")
        #expect(try #require(ChatMessage(message)).messageID == "second")
    }

    @Test("IRC-G2 tags may come in any order")
    func anyOrder() throws {
        let ordered = try #require(
            ChatMessage(IRCMessage(parsing: "@id=1;room-id=2;user-id=3;tmi-sent-ts=4 :u!u@u PRIVMSG #c :t"))
        )
        let shuffled = try #require(
            ChatMessage(IRCMessage(parsing: "@tmi-sent-ts=4;user-id=3;id=1;room-id=2 :u!u@u PRIVMSG #c :t"))
        )
        #expect(ordered.messageID == shuffled.messageID)
        #expect(ordered.roomID == shuffled.roomID)
        #expect(ordered.userID == shuffled.userID)
        #expect(ordered.sentAtMilliseconds == shuffled.sentAtMilliseconds)
    }

    @Test("IRC-G3 escaping for sending round-trips through the parser")
    func escapeRoundTrip() throws {
        let value = "semi;colon space\\back\r\nend"
        let escaped = IRCTags.escape(value)
        #expect(escaped == #"semi\:colon\sspace\\back\r\nend"#)
        #expect(IRCTags.unescape(escaped) == value)
        #expect(try IRCMessage(parsing: "@k=\(escaped) CMD").tag("k") == value)
    }

    @Test("IRC-G3 PRIVMSG text is never tag-unescaped")
    func textKeepsBackslashes() throws {
        let message = try #require(ChatMessage(IRCMessage(parsing: #":a!a@a PRIVMSG #c :C:\s\n path"#)))
        #expect(message.text == #"C:\s\n path"#)
    }

    @Test("IRC-G7 numeric tags tolerate garbage")
    func numericGarbage() throws {
        let message = try #require(
            ChatMessage(IRCMessage(parsing: "@tmi-sent-ts=12a;bits=-;mod=yes;vip :a!a@a PRIVMSG #c :t"))
        )
        #expect(message.sentAtMilliseconds == nil)
        #expect(message.bits == nil)
        #expect(!message.isModerator)
        #expect(message.isVIP)
        let huge = try #require(ChatMessage(IRCMessage(parsing: "@tmi-sent-ts=99999999999999999999999 :a PRIVMSG #c :t")))
        #expect(huge.sentAtMilliseconds == nil)
    }
}
