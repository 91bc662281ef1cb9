import Foundation
import TestSupport
import Testing
import TwitchSimulator

/// `tumulte channel …` and `tumulte poll …` as processes against a real daemon: the CLI and the API agree.
@Suite struct GMCommandTests {
    /// Runs a GM command against the harness and returns its exit status and output.
    static func run(_ harness: PollHarness, _ arguments: [String], key: String? = nil) async throws -> (status: Int32, output: String) {
        let process = try TumulteBinary.start(
            arguments,
            environment: ["TUMULTE_URL": harness.base, "TUMULTE_API_KEY": key ?? harness.apiKey]
        )
        let status = try await process.waitForExit(timeout: .seconds(60))
        await process.waitForOutputEnd()
        return (status, process.output.joined(separator: "\n"))
    }

    @Test("channel add/list, poll start/show/end through the CLI; a 422 and a 401 exit 1 and 77 with their messages")
    func cliAgainstDaemon() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let added = try await Self.run(harness, ["channel", "add", "alpha_gm", "bravo_gm"])
            #expect(added.status == 0, "\(added.output)")
            #expect(added.output.contains("\(harness.base)/overlay/"))
            let listed = try await Self.run(harness, ["channel", "list"])
            #expect(listed.status == 0)
            #expect(listed.output.contains("alpha_gm") && listed.output.contains("bravo_gm"))

            let started = try await Self.run(
                harness,
                ["poll", "start", "--title", "Which door?", "--option", "Left", "--option", "Right", "--channel", "alpha_gm", "--json"]
            )
            #expect(started.status == 0, "\(started.output)")
            let json = started.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
            let poll = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let id = try #require(poll["id"] as? String)

            try await simulator.waitForJoined(["alpha_gm"], timeout: .seconds(30))
            await simulator.privmsg(SimulatedMessage(userID: "1", login: "viewer1", text: "!2"), in: "alpha_gm")
            _ = try await harness.awaitPoll(id, "the vote") { $0.totalVotes == 1 }
            let shown = try await Self.run(harness, ["poll", "show", id])
            #expect(shown.status == 0)
            #expect(shown.output.contains("Which door?") && shown.output.contains("Right") && shown.output.contains("100.0"))

            let ended = try await Self.run(harness, ["poll", "end", id])
            #expect(ended.status == 0, "\(ended.output)")
            #expect(ended.output.contains("ended") && ended.output.contains("winner"))

            let invalid = try await Self.run(harness, ["poll", "start", "--title", "", "--option", "a", "--channel", "alpha_gm"])
            #expect(invalid.status == 1)
            #expect(invalid.output.contains("title:") && invalid.output.contains("options:"))
            let unauthorized = try await Self.run(harness, ["channel", "list"], key: "tml_wrong")
            #expect(unauthorized.status == 77)
            #expect(!unauthorized.output.contains("tml_wrong"))
            try await harness.stop()
        }
    }
}
