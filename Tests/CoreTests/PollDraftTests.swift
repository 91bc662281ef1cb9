import Core
import Testing

@Suite struct PollDraftTests {
    static let valid = PollDraft(title: "Open the door?", options: ["Yes", "No"], channels: ["Alpha_GM", "bravo_gm"])

    @Test("a valid draft gets its defaults: 60 s, auto mode, unique rule; logins are case-folded")
    func defaults() throws {
        let spec = try Self.valid.validated().get()
        #expect(spec.durationSeconds == 60)
        #expect(spec.mode == .auto)
        #expect(spec.voteRule == .unique)
        #expect(spec.channels.map(\.value) == ["alpha_gm", "bravo_gm"])
        #expect(spec.options == ["Yes", "No"])
    }

    @Test("an empty draft reports every required field at once")
    func missingEverything() {
        guard case .failure(let error) = PollDraft().validated() else {
            Issue.record("an empty draft validated")
            return
        }
        #expect(Set(error.fields.keys) == ["title", "options", "channels"])
        #expect(error.fields.values.allSatisfy { $0 == "is required" })
    }

    @Test(
        "each bad field is named with its own message",
        arguments: [
            (PollDraft(title: "", options: ["a", "b"], channels: ["abcd"]), "title"),
            (PollDraft(title: String(repeating: "x", count: 61), options: ["a", "b"], channels: ["abcd"]), "title"),
            (PollDraft(title: "line\nbreak", options: ["a", "b"], channels: ["abcd"]), "title"),
            (PollDraft(title: "t", options: ["a"], channels: ["abcd"]), "options"),
            (PollDraft(title: "t", options: ["a", "b", "c", "d", "e", "f"], channels: ["abcd"]), "options"),
            (PollDraft(title: "t", options: ["a", " "], channels: ["abcd"]), "options[1]"),
            (PollDraft(title: "t", options: ["a", String(repeating: "y", count: 26)], channels: ["abcd"]), "options[1]"),
            (PollDraft(title: "t", options: ["Yes", " yes "], channels: ["abcd"]), "options[1]"),
            (PollDraft(title: "t", options: ["a", "b"], durationSeconds: 14, channels: ["abcd"]), "durationSeconds"),
            (PollDraft(title: "t", options: ["a", "b"], durationSeconds: 1801, channels: ["abcd"]), "durationSeconds"),
            (PollDraft(title: "t", options: ["a", "b"], channels: []), "channels"),
            (PollDraft(title: "t", options: ["a", "b"], channels: (0..<101).map { "chan\($0)" }), "channels"),
            (PollDraft(title: "t", options: ["a", "b"], channels: ["abc"]), "channels[0]"),
            (PollDraft(title: "t", options: ["a", "b"], channels: ["abcd", "no-dash"]), "channels[1]"),
            (PollDraft(title: "t", options: ["a", "b"], channels: ["abcd", "ABCD"]), "channels[1]"),
            (PollDraft(title: "t", options: ["a", "b"], channels: ["abcd"], mode: "poll"), "mode"),
            (PollDraft(title: "t", options: ["a", "b"], channels: ["abcd"], voteRule: "twice"), "voteRule"),
        ]
    )
    func badField(draft: PollDraft, field: String) {
        guard case .failure(let error) = draft.validated() else {
            Issue.record("draft validated although \(field) is bad")
            return
        }
        #expect(Array(error.fields.keys) == [field])
    }

    @Test("limits are inclusive: 60-character title, 5 options of 25, 15 and 1800 s, 100 channels, 25-character login")
    func boundaries() throws {
        let draft = PollDraft(
            title: String(repeating: "t", count: 60),
            options: (0..<5).map { String(repeating: "\($0)", count: 25) },
            durationSeconds: 1800,
            channels: (0..<99).map { "chan\($0)" } + [String(repeating: "z", count: 25)]
        )
        let spec = try draft.validated().get()
        #expect(spec.channels.count == 100)
        var short = draft
        short.durationSeconds = 15
        #expect((try? short.validated().get()) != nil)
    }

    @Test("a login is 4 to 25 of a-z, 0-9 and _; anything else is refused with a reason")
    func logins() {
        #expect(ChannelLogin("GameMaster_01")?.value == "gamemaster_01")
        #expect(ChannelLogin("abc") == nil)
        #expect(ChannelLogin(String(repeating: "a", count: 26)) == nil)
        #expect(ChannelLogin("émile_gm") == nil)
        #expect(ChannelLogin("a b cd") == nil)
        #expect(ChannelLogin.problem(with: "abc")?.contains("4 to 25") == true)
        #expect(ChannelLogin.problem(with: "ab-cd")?.contains("letters, digits and underscores") == true)
        #expect(ChannelLogin.problem(with: "abcd") == nil)
    }
}
