public import Core
public import Foundation
public import Storage

/// A poll as the API shows it: the stored poll with its live (Redis) or final (PostgreSQL) tally.
public struct PollView: Sendable, Hashable {
    /// The stored poll.
    public let record: PollRecord
    /// The status shown: `ending` once counting closed and the result is not written yet.
    public let status: PollStatus
    /// When voting closes (earlier than planned after an end-now).
    public let endsAt: Date
    /// Votes per option.
    public let votes: [Int]
    /// Votes per option for each channel login.
    public let channelVotes: [String: [Int]]
    /// The tally version.
    public let version: Int

    /// The poll's id as text.
    public var id: String { self.record.idString }

    /// Totals, percentages and winners.
    public var summary: TallySummary { TallySummary(votes: self.votes) }

    /// The view of a poll whose result is persisted.
    init(final record: PollRecord) {
        self.record = record
        self.status = record.status
        self.endsAt = record.endsAt
        let optionCount = record.options.count
        self.votes = record.votes ?? [Int](repeating: 0, count: optionCount)
        self.channelVotes = Dictionary(
            uniqueKeysWithValues: record.channels.map { ($0.login.value, $0.votes ?? [Int](repeating: 0, count: optionCount)) }
        )
        self.version = record.tallyVersion ?? 0
    }

    /// The view of an unfinished poll from its Redis state.
    init(live record: PollRecord, snapshot: TallySnapshot, meta: TallyMeta?) {
        self.record = record
        let closed = meta.map { !$0.isOpen } ?? false
        self.status = closed || record.status == .ending ? .ending : .running
        self.endsAt = meta?.endsAt.map(Date.init(milliseconds:)) ?? record.endsAt
        self.votes = snapshot.votes
        self.channelVotes = snapshot.channels
        self.version = snapshot.version
    }
}
