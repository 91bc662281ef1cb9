import NIOCore
import Testing

@testable import OverlayFeed

/// The hub's bookkeeping as a pure state machine, for the SSE rules that have no observable event of their
/// own (a notice that must cause no update call) and for `Last-Event-ID` parsing.
struct FeedHubStateTests {
    /// A state with default tuning.
    func makeState() -> FeedHubState {
        FeedHubState(configuration: FeedHub.Configuration())
    }

    @Test func sseNoticeNotNewerThanTheLastFannedOutIsIgnored() {
        var state = makeState()
        var effects = FeedEffects()
        state.phase = .running
        let woke = state.notice(pollID: "p1", version: 5)
        #expect(woke)
        let step = state.step(now: .zero, effects: &effects)
        #expect(step.updates == ["p1"])
        let update = FeedUpdate(event: FakeFeedSource.tally("p1", 5), topics: [])
        state.completeUpdate(pollID: "p1", update: update, bytes: ByteBuffer(), now: .zero, effects: &effects)
        for version in [1, 4, 5] {
            let stale = state.notice(pollID: "p1", version: version)
            #expect(!stale)
        }
        #expect(state.polls["p1"]?.dirty == false)
        let quiet = state.step(now: .seconds(1), effects: &effects)
        #expect(quiet.updates.isEmpty)
        let newer = state.notice(pollID: "p1", version: 6)
        #expect(newer)
        let next = state.step(now: .seconds(1), effects: &effects)
        #expect(next.updates == ["p1"])
    }

    @Test func sseNoticesDuringAnUpdateCallLeaveOneFollowUpAfterTheInterval() {
        var state = makeState()
        var effects = FeedEffects()
        state.phase = .running
        _ = state.notice(pollID: "p1", version: 1)
        let first = state.step(now: .zero, effects: &effects)
        #expect(first.updates == ["p1"])
        // In flight: notices neither wake the loop nor start a second call.
        let second = state.notice(pollID: "p1", version: 2)
        let third = state.notice(pollID: "p1", version: 3)
        #expect(!second && !third)
        let during = state.step(now: .milliseconds(50), effects: &effects)
        #expect(during.updates.isEmpty)
        let update = FeedUpdate(event: FakeFeedSource.tally("p1", 1), topics: [])
        effects = FeedEffects()
        state.completeUpdate(pollID: "p1", update: update, bytes: ByteBuffer(), now: .milliseconds(60), effects: &effects)
        #expect(effects.wake)
        let early = state.step(now: .milliseconds(60), effects: &effects)
        #expect(early.updates.isEmpty)
        #expect(early.deadline == .milliseconds(100))
        let due = state.step(now: .milliseconds(100), effects: &effects)
        #expect(due.updates == ["p1"])
    }

    @Test func sseUpdateThatAlreadyCoversLaterNoticesNeedsNoFollowUp() {
        var state = makeState()
        var effects = FeedEffects()
        state.phase = .running
        _ = state.notice(pollID: "p1", version: 1)
        _ = state.step(now: .zero, effects: &effects)
        _ = state.notice(pollID: "p1", version: 2)
        let update = FeedUpdate(event: FakeFeedSource.tally("p1", 2), topics: [])
        effects = FeedEffects()
        state.completeUpdate(pollID: "p1", update: update, bytes: ByteBuffer(), now: .zero, effects: &effects)
        #expect(!effects.wake)
        let later = state.step(now: .seconds(1), effects: &effects)
        #expect(later.updates.isEmpty)
    }

    @Test func sseQuietPollsAreForgottenAfterTheRetention() {
        var state = makeState()
        var effects = FeedEffects()
        state.phase = .running
        state.publish(FakeFeedSource.tally("p1", 1), bytes: ByteBuffer(), topics: [], now: .zero, effects: &effects)
        _ = state.step(now: .seconds(599), effects: &effects)
        #expect(state.polls["p1"] != nil)
        _ = state.step(now: .seconds(615), effects: &effects)
        #expect(state.polls["p1"] == nil)
    }

    @Test(arguments: [
        ("p1:5", "p1", 5), ("a:b:12", "a:b", 12), ("0f8fad5b-d9cb-469f-a165-70867728950e:0", "0f8fad5b-d9cb-469f-a165-70867728950e", 0),
    ])
    func sseLastEventIDParses(text: String, pollID: String, version: Int) {
        let parsed = FeedEventID(text)
        #expect(parsed?.pollID == pollID)
        #expect(parsed?.version == version)
    }

    @Test(arguments: ["", "p1", "p1:", ":5", "p1:-1", "p1:+9", "p1:9x", "p1: 9", "p1:٣", "p1:1234567890123456789"])
    func sseMalformedLastEventIDIsRejected(text: String) {
        #expect(FeedEventID(text) == nil)
    }

    @Test func sseMarkOrdersVersionsAndLetsEndBeatTally() {
        let tally5 = FeedMark(version: 5)
        #expect(!tally5.admits(.tally, version: 5))
        #expect(!tally5.admits(.start, version: 5))
        #expect(tally5.admits(.end, version: 5))
        #expect(tally5.admits(.tally, version: 6))
        #expect(!tally5.admits(.end, version: 4))
        let end5 = FeedMark(version: 5, isEnd: true)
        #expect(!end5.admits(.end, version: 5))
        #expect(!end5.admits(.tally, version: 9))
        #expect(end5.admits(.end, version: 6))
    }
}
