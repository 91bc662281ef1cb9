import Core
import Foundation
import Storage

/// The chat lines the bot account posts for a poll: how to vote when it starts, the result when it ends.
enum PollAnnouncement {
    /// `📊 Which door? — vote with !1 Left · !2 Right (60 s)`; under 500 characters (IRC-S2) by the poll limits.
    static func start(_ record: PollRecord) -> String {
        let options = record.options.enumerated().map { "!\($0.offset + 1) \($0.element)" }.joined(separator: " · ")
        return "📊 \(record.title) — vote with \(options) (\(record.durationSeconds) s)"
    }

    /// The result line: the winner with its votes and share, every tied option, no votes, or the cancellation.
    static func end(_ record: PollRecord, summary: TallySummary, cancelled: Bool) -> String {
        if cancelled { return "📊 \(record.title) — poll cancelled." }
        guard summary.totalVotes > 0 else { return "📊 \(record.title) — no votes." }
        let described = summary.winners.map { index in
            let percent = summary.percentages.indices.contains(index) ? summary.percentages[index] : 0
            return "\(record.options[index]) (\(summary.votes[index]) votes, \(String(format: "%.1f", percent)) %)"
        }
        let verdict = described.count == 1 ? "winner: \(described[0])" : "tie: " + described.joined(separator: " · ")
        return "📊 \(record.title) — \(verdict) of \(summary.totalVotes) votes."
    }
}
