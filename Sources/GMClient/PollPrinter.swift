import Foundation

/// The human output of the `tumulte poll` commands; pure functions of the decoded answers.
public enum PollPrinter {
    /// The width of an option's bar in characters.
    public static let barWidth = 20

    /// A poll: title, id, status and times, one line per option, the total, then the per-channel totals.
    ///
    /// ```
    /// Which door?
    ///   id       6f1d…
    ///   status   ended
    ///   rule     unique, mode auto, 60 s
    ///   started  2026-11-29T13:05:00.123Z
    ///   ends     2026-11-29T13:06:00.123Z
    ///   ended    2026-11-29T13:06:02.004Z
    ///
    ///   !1  Left   ████████████░░░░░░░░  3   60.0%  winner
    ///   !2  Right  ████████░░░░░░░░░░░░  2   40.0%
    ///   5 votes
    ///
    /// Channels:
    ///   alpha_gm  chat  ended  3 votes  (!1 2, !2 1)
    /// ```
    /// - Parameter poll: the poll.
    public static func render(_ poll: Poll) -> String {
        var lines = [poll.title]
        var facts: [(String, String)] = [("id", poll.id), ("status", poll.status)]
        let settings = [
            poll.voteRule,
            poll.mode.map { "mode \($0)" },
            poll.durationSeconds.map { "\($0) s" },
        ].compactMap(\.self)
        if !settings.isEmpty { facts.append(("rule", settings.joined(separator: ", "))) }
        if let startedAt = poll.startedAt { facts.append(("started", startedAt)) }
        if let endsAt = poll.endsAt { facts.append(("ends", endsAt)) }
        if let endedAt = poll.endedAt { facts.append(("ended", endedAt)) }
        let labelWidth = facts.map(\.0.count).max() ?? 0
        lines += facts.map { "  \(TextTable.pad($0.0, to: labelWidth))  \($0.1)" }
        lines.append("")
        lines += Self.optionLines(poll)
        let channels = Self.channelLines(poll)
        if !channels.isEmpty {
            lines.append("")
            lines.append("Channels:")
            lines += channels
        }
        return lines.joined(separator: "\n")
    }

    /// One line per option (`!N`, label, bar, count, percentage, `winner`/`tie` marker), then the total or `no votes`.
    /// - Parameter poll: the poll.
    public static func optionLines(_ poll: Poll) -> [String] {
        let tally = poll.tally ?? Tally(votes: [], totalVotes: 0)
        let counts = poll.options.indices.map { $0 < tally.votes.count ? tally.votes[$0] : 0 }
        let total = tally.totalVotes
        let winners = Set(tally.winners)
        let marker = total == 0 ? "" : (winners.count > 1 ? "tie" : "winner")

        let indexWidth = "!\(poll.options.count)".count
        let labelWidth = poll.options.map(\.count).max() ?? 0
        let countWidth = counts.map { String($0).count }.max() ?? 1
        var lines: [String] = []
        for (index, label) in poll.options.enumerated() {
            let percent = Self.percent(option: index, counts: counts, tally: tally)
            var line = "  \(TextTable.pad("!\(index + 1)", to: indexWidth))  \(TextTable.pad(label, to: labelWidth))"
            line += "  \(Self.bar(percent: percent))"
            line += "  \(TextTable.padLeft(String(counts[index]), to: countWidth))"
            line += "  \(TextTable.padLeft(Self.formatPercent(percent), to: 6))"
            if winners.contains(index), !marker.isEmpty { line += "  \(marker)" }
            lines.append(line)
        }
        lines.append(total == 0 ? "  no votes" : "  \(Self.votes(total))")
        return lines
    }

    /// One line per channel of the poll: login, mode, status, its total and its count per option.
    /// - Parameter poll: the poll.
    public static func channelLines(_ poll: Poll) -> [String] {
        let tallies = poll.tally?.channels ?? [:]
        let logins = poll.channels.map(\.login) + tallies.keys.filter { key in !poll.channels.contains { $0.login == key } }.sorted()
        let rows = logins.map { login -> [String] in
            let channel = poll.channels.first { $0.login == login }
            let tally = tallies[login]
            let perOption = (tally?.votes ?? []).enumerated().map { "!\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
            return [
                login, channel?.mode ?? "-", channel?.status ?? "-", Self.votes(tally?.totalVotes ?? 0),
                perOption.isEmpty ? "" : "(\(perOption))",
            ]
        }
        guard !rows.isEmpty else { return [] }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = "  " + zip(row, widths).map { TextTable.pad($0, to: $1) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// Polls as a table: id, status, votes, start time, title; or a hint when there are none.
    /// - Parameter polls: the polls of a page.
    public static func table(_ polls: [Poll]) -> String {
        guard !polls.isEmpty else { return "No polls." }
        return TextTable.render(
            header: ["ID", "STATUS", "VOTES", "STARTED", "TITLE"],
            rows: polls.map { poll in
                [poll.id, poll.status, String(poll.tally?.totalVotes ?? 0), poll.startedAt ?? "-", poll.title]
            }
        )
    }

    /// The line after a page of `poll list` that has a next page: the command that fetches it; nil on the last page.
    /// - Parameters:
    ///   - cursor: the page's `nextCursor`.
    ///   - status: the `--status` of this listing, if any.
    ///   - limit: the `--limit` of this listing, if any.
    public static func nextPage(cursor: String?, status: String?, limit: Int?) -> String? {
        guard let cursor else { return nil }
        var command = "tumulte poll list"
        if let status { command += " --status \(Self.shellQuoted(status))" }
        if let limit { command += " --limit \(limit)" }
        command += " --cursor \(Self.shellQuoted(cursor))"
        return "Next page: \(command)"
    }

    /// The text unchanged when it is safe in a shell word, else in single quotes.
    /// - Parameter text: the word.
    public static func shellQuoted(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.=:/+".unicodeScalars.contains($0))
            }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A bar of ``barWidth`` characters, filled in proportion to `percent` (0 to 100), rounded to the nearest character.
    /// - Parameter percent: the share in percent.
    public static func bar(percent: Double) -> String {
        let filled = min(Self.barWidth, max(0, Int((percent / 100 * Double(Self.barWidth)).rounded())))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: Self.barWidth - filled)
    }

    /// A percentage with one decimal and a percent sign, e.g. `33.3%`.
    /// - Parameter percent: the share in percent.
    public static func formatPercent(_ percent: Double) -> String {
        String(format: "%.1f%%", percent)
    }

    /// `1 vote`, `2 votes`.
    /// - Parameter count: the number of votes.
    public static func votes(_ count: Int) -> String {
        count == 1 ? "1 vote" : "\(count) votes"
    }

    /// The API's percentage for an option, or one computed from the counts when the API sent none.
    private static func percent(option index: Int, counts: [Int], tally: Tally) -> Double {
        if tally.percentages.count == counts.count { return tally.percentages[index] }
        guard tally.totalVotes > 0 else { return 0 }
        return (Double(counts[index]) * 1000 / Double(tally.totalVotes)).rounded() / 10
    }
}
