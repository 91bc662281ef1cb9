import Foundation
import GMClient
import Testing

@Suite struct PollPrinterTests {
    private func decode(_ json: String) throws -> Poll {
        try JSONDecoder().decode(Poll.self, from: Data(json.utf8))
    }

    @Test("an ended poll prints its facts, one line per option with bar, count, percentage and winner, and the channels")
    func endedPoll() throws {
        let text = PollPrinter.render(try self.decode(Fixtures.endedPollJSON))
        let expected = """
            Which door?
              id       \(Fixtures.pollID)
              status   ended
              rule     unique, mode auto, 60 s
              started  2026-11-29T13:05:00.123Z
              ends     2026-11-29T13:06:00.123Z
              ended    2026-11-29T13:06:02.004Z

              !1  Left   ████████████░░░░░░░░  3   60.0%  winner
              !2  Right  ████████░░░░░░░░░░░░  2   40.0%
              5 votes

            Channels:
              alpha_gm  chat    ended  3 votes  (!1 2, !2 1)
              beta_gm   native  ended  2 votes  (!1 1, !2 1)
            """
        #expect(text == expected)
    }

    @Test("several winners are each marked tie")
    func tie() {
        let lines = PollPrinter.optionLines(Fixtures.poll(votes: [2, 2, 1], percentages: [40, 40, 20], winners: [0, 1]))
        #expect(lines[0].hasSuffix("40.0%  tie"))
        #expect(lines[1].hasSuffix("40.0%  tie"))
        #expect(lines[2].hasSuffix("20.0%"))
        #expect(!lines.joined().contains("winner"))
        #expect(lines.last == "  5 votes")
    }

    @Test("a poll without votes says no votes and marks no option")
    func noVotes() throws {
        let lines = PollPrinter.optionLines(try self.decode(Fixtures.runningPollJSON))
        #expect(lines.count == 4)
        #expect(lines[0] == "  !1  Yes    ░░░░░░░░░░░░░░░░░░░░  0    0.0%")
        #expect(lines.last == "  no votes")
        #expect(!lines.joined().contains("winner") && !lines.joined().contains("tie"))
    }

    @Test("percentages print with one decimal; the API's values are used, else computed from the counts")
    func percentages() {
        #expect(PollPrinter.formatPercent(33.333) == "33.3%")
        #expect(PollPrinter.formatPercent(100) == "100.0%")
        #expect(PollPrinter.formatPercent(0) == "0.0%")

        let fromAPI = PollPrinter.optionLines(Fixtures.poll(votes: [1, 2], percentages: [33.3, 66.7], winners: [1]))
        #expect(fromAPI[0].hasSuffix("1   33.3%"))
        #expect(fromAPI[1].hasSuffix("2   66.7%  winner"))
        let computed = PollPrinter.optionLines(Fixtures.poll(votes: [1, 2], percentages: [], winners: [1]))
        #expect(computed == fromAPI)
    }

    @Test("the bar is 20 characters, filled in proportion and rounded")
    func bar() {
        #expect(PollPrinter.bar(percent: 0) == String(repeating: "░", count: 20))
        #expect(PollPrinter.bar(percent: 100) == String(repeating: "█", count: 20))
        #expect(PollPrinter.bar(percent: 52.6) == String(repeating: "█", count: 11) + String(repeating: "░", count: 9))
        #expect(PollPrinter.bar(percent: 140).count == 20)
        #expect(PollPrinter.bar(percent: -3) == String(repeating: "░", count: 20))
    }

    @Test("a running poll has no ended line; the list table and the next-page line")
    func listAndNextPage() throws {
        let running = try self.decode(Fixtures.runningPollJSON)
        #expect(!PollPrinter.render(running).contains("ended "))
        let table = PollPrinter.table([try self.decode(Fixtures.endedPollJSON), running])
        #expect(
            table == """
                ID                                    STATUS   VOTES  STARTED                   TITLE
                \(Fixtures.pollID)  ended    5      2026-11-29T13:05:00.123Z  Which door?
                \(Fixtures.pollID)  running  0      2026-11-29T13:05:00.123Z  Quiet?
                """
        )
        #expect(PollPrinter.table([]) == "No polls.")
        #expect(PollPrinter.nextPage(cursor: nil, status: nil, limit: nil) == nil)
        #expect(
            PollPrinter.nextPage(cursor: "abc123", status: "ended", limit: 5)
                == "Next page: tumulte poll list --status ended --limit 5 --cursor abc123"
        )
        #expect(PollPrinter.nextPage(cursor: "it's", status: nil, limit: nil) == #"Next page: tumulte poll list --cursor 'it'\''s'"#)
    }

    @Test("decoding keeps working with unknown fields and without the optional ones")
    func tolerantDecoding() throws {
        let poll = try self.decode(#"{"id":"x","title":"T","options":["A","B"],"status":"ending","somethingNew":{"a":1}}"#)
        #expect(poll.tally == nil && poll.channels.isEmpty && poll.endedAt == nil)
        #expect(PollPrinter.optionLines(poll).last == "  no votes")
    }
}
