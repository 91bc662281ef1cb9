public import Core

/// An independent, in-memory statement of the counting rules (DESIGN.md §3), to check the Lua script against.
public struct ReferenceTally: Sendable {
    /// The poll counted.
    public let poll: RunningPoll
    private var seen: Set<String> = []
    /// user id → (sentAt, messageID, channel, option)
    private var current: [String: (sentAt: Int64, messageID: String, channel: String, option: Int)] = [:]
    private var standardCounts: [String: [Int]] = [:]

    /// Starts an empty tally of `poll`.
    public init(poll: RunningPoll) {
        self.poll = poll
    }

    /// Applies one vote by the rules.
    public mutating func record(_ vote: Vote) {
        guard (0..<self.poll.optionCount).contains(vote.option) else { return }
        guard vote.sentAt >= self.poll.startedAt && vote.sentAt <= self.poll.endsAt else { return }
        guard self.seen.insert(vote.deduplicationKey).inserted else { return }
        switch self.poll.rule {
        case .standard:
            self.standardCounts[vote.channel, default: Array(repeating: 0, count: self.poll.optionCount)][vote.option] += 1
        case .unique:
            if let previous = self.current[vote.userID] {
                let newer = vote.sentAt > previous.sentAt || (vote.sentAt == previous.sentAt && vote.messageID > previous.messageID)
                guard newer else { return }
            }
            self.current[vote.userID] = (vote.sentAt, vote.messageID, vote.channel, vote.option)
        }
    }

    /// Votes per option for each channel.
    public var channels: [String: [Int]] {
        var result = Dictionary(uniqueKeysWithValues: self.poll.channels.map { ($0, [Int](repeating: 0, count: self.poll.optionCount)) })
        switch self.poll.rule {
        case .standard:
            for (channel, counts) in self.standardCounts { result[channel] = counts }
        case .unique:
            for entry in self.current.values { result[entry.channel]![entry.option] += 1 }
        }
        return result
    }

    /// Votes per option over every channel.
    public var votes: [Int] {
        var total = [Int](repeating: 0, count: self.poll.optionCount)
        for counts in self.channels.values {
            for (index, count) in counts.enumerated() { total[index] += count }
        }
        return total
    }
}
