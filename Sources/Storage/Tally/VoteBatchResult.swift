/// What happened to the votes of one batch, by outcome.
public struct VoteBatchResult: Sendable, Hashable {
    /// Counted (including votes that moved a voter's earlier choice).
    public var accepted = 0
    /// Already seen: a resend, a reconnect overlap or a Shared Chat copy.
    public var duplicate = 0
    /// Sent before the poll started or after it ended.
    public var outsideWindow = 0
    /// An option outside the poll's range.
    public var invalid = 0
    /// For a poll that is unknown or no longer running.
    public var closed = 0
    /// Older than the voter's current vote under the unique rule.
    public var superseded = 0

    /// Creates an empty result.
    public init() {}

    /// The number of votes in the batch.
    public var total: Int { self.accepted + self.duplicate + self.outsideWindow + self.invalid + self.closed + self.superseded }

    /// Adds another batch's outcomes to this one.
    public mutating func add(_ other: VoteBatchResult) {
        self.accepted += other.accepted
        self.duplicate += other.duplicate
        self.outsideWindow += other.outsideWindow
        self.invalid += other.invalid
        self.closed += other.closed
        self.superseded += other.superseded
    }
}
