/// The counting state of a poll in Redis.
public struct TallyMeta: Sendable, Hashable {
    /// Whether votes are still counted (false once the poll is closed for finalisation).
    public let isOpen: Bool
    /// The end of the voting window (ms since 1970).
    public let endsAt: Int64?
    /// How the GM asked it to end (`ended_early`, `cancelled`), if they did.
    public let outcome: String?
    /// The tally version.
    public let version: Int
}
