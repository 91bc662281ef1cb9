/// Totals, percentages and winners derived from the vote counts of a poll's options.
///
/// Percentages and winners are computed here and nowhere else, so every surface (API, SSE, chat, PostgreSQL)
/// shows the same numbers.
public struct TallySummary: Sendable, Hashable, Codable {
    /// Votes per option, in option order.
    public let votes: [Int]
    /// Sum of `votes`.
    public let totalVotes: Int
    /// Share of each option in percent, rounded half away from zero to one decimal; all 0 when nobody voted.
    public let percentages: [Double]
    /// Indexes of every option with the highest count (several on a tie); empty when nobody voted.
    public let winners: [Int]

    /// Derives totals, percentages and winners from per-option counts.
    /// - Parameter votes: Votes per option; negative counts are treated as zero.
    public init(votes: [Int]) {
        let counts = votes.map { max(0, $0) }
        let total = counts.reduce(0, +)
        self.votes = counts
        self.totalVotes = total
        self.percentages = counts.map { Self.percentage(of: $0, in: total) }
        if total == 0 {
            self.winners = []
        } else {
            let best = counts.max() ?? 0
            self.winners = counts.indices.filter { counts[$0] == best }
        }
    }

    /// The share of `count` in `total` in percent with one decimal (0 when `total` is 0).
    public static func percentage(of count: Int, in total: Int) -> Double {
        guard total > 0 else { return 0 }
        let tenths = (Double(count) * 1000 / Double(total)).rounded(.toNearestOrAwayFromZero)
        return tenths / 10
    }
}
