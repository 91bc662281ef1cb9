import Core
import Testing

@Suite struct ChatVoteParserTests {
    let parser = ChatVoteParser(optionCount: 3)

    @Test(
        "accepts exactly N, !N and !vote N, case-insensitive",
        arguments: [
            ("2", 1), ("!2", 1), ("!vote 2", 1), ("!VOTE 3", 2), ("!Vote\t1", 0), ("  !1  ", 0), ("!vote   2", 1),
            ("1\u{E0000}", 0), ("!2 \u{E0000}", 1), ("\u{200B}3", 2),
        ]
    )
    func votes(text: String, option: Int) {
        #expect(self.parser.option(in: text) == option)
    }

    @Test(
        "everything else is not a vote",
        arguments: [
            "", "!", "0", "!0", "4", "!4", "!vote 4", "12", "!12", "02", "!vote2", "!vote", "vote 2", "!2 lol", "2!", "!!2", "! 2",
            "!votes 2", "２", "!vote 2 3", "-1", "+1", "!vote -1", "x", "!x",
        ]
    )
    func notVotes(text: String) {
        #expect(self.parser.option(in: text) == nil)
    }

    @Test("IRC-G4 a /me vote is unwrapped, also when the wrapper is unterminated")
    func action() {
        #expect(self.parser.option(in: "\u{01}ACTION !2\u{01}") == 1)
        #expect(self.parser.option(in: "\u{01}ACTION 3\u{01}") == 2)
        #expect(self.parser.option(in: "\u{01}ACTION !vote 1") == 0)
        #expect(self.parser.option(in: "\u{01}ACTION\u{01}") == nil)
    }

    @Test("a reply's leading @mention is dropped only for replies")
    func reply() {
        #expect(self.parser.option(in: "@streamer !2", isReply: true) == 1)
        #expect(self.parser.option(in: "@streamer   3", isReply: true) == 2)
        #expect(self.parser.option(in: "@streamer", isReply: true) == nil)
        #expect(self.parser.option(in: "@streamer !2") == nil)
    }

    @Test("the option count bounds the accepted numbers")
    func bounds() {
        let five = ChatVoteParser(optionCount: 5)
        #expect(five.option(in: "!5") == 4)
        #expect(five.option(in: "!6") == nil)
        #expect(ChatVoteParser(optionCount: 2).option(in: "3") == nil)
    }
}
