/// Where a poll is in its lifecycle.
public enum PollStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepting votes until its deadline.
    case running
    /// Past its deadline; the final tally is being persisted.
    case ending
    /// Finished; the final tally is persisted.
    case ended
    /// Stopped by the GM; the tally at that moment is kept.
    case cancelled

    /// Whether no further change of status can happen.
    public var isFinal: Bool { self == .ended || self == .cancelled }
}
