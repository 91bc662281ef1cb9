/// How a poll ends: its final status and the reason recorded with it.
enum PollEnding: String, Sendable {
    /// Its deadline passed.
    case deadline
    /// The GM ended it early; results are kept like a natural end.
    case endedEarly = "ended_early"
    /// The GM cancelled it; the tally is kept, the status says cancelled.
    case cancelled
    /// Its deadline passed while no daemon was running; finalised from what Redis holds.
    case late

    /// The status written with the result.
    var status: String { self == .cancelled ? "cancelled" : "ended" }
}
