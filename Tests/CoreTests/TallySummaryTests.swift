import Core
import PropertyBased
import Testing

@Suite struct TallySummaryTests {
    @Test("percentages have one decimal and winners list every tied option")
    func tie() {
        let summary = TallySummary(votes: [3, 3, 1])
        #expect(summary.totalVotes == 7)
        #expect(summary.percentages == [42.9, 42.9, 14.3])
        #expect(summary.winners == [0, 1])
    }

    @Test("no votes gives zero percentages and no winner")
    func noVotes() {
        let summary = TallySummary(votes: [0, 0])
        #expect(summary.totalVotes == 0)
        #expect(summary.percentages == [0, 0])
        #expect(summary.winners.isEmpty)
    }

    @Test("a single leader wins alone; thirds round to 33.3")
    func singleLeader() {
        #expect(TallySummary(votes: [1, 5, 2]).winners == [1])
        #expect(TallySummary(votes: [1, 1, 1]).percentages == [33.3, 33.3, 33.3])
        #expect(TallySummary.percentage(of: 1, in: 8) == 12.5)
        #expect(TallySummary.percentage(of: 1, in: 16) == 6.3)
    }

    @Test("negative counts never leak into totals")
    func negativeCounts() {
        let summary = TallySummary(votes: [-2, 4])
        #expect(summary.votes == [0, 4])
        #expect(summary.totalVotes == 4)
        #expect(summary.winners == [1])
    }

    @Test("invariants hold for any counts")
    func invariants() async {
        await propertyCheck(input: Gen.int(in: 0...10_000).array(of: 2...5)) { votes in
            let summary = TallySummary(votes: votes)
            #expect(summary.totalVotes == votes.reduce(0, +))
            #expect(summary.percentages.allSatisfy { (0...100).contains($0) })
            if summary.totalVotes > 0 {
                let best = votes.max()!
                #expect(summary.winners == votes.indices.filter { votes[$0] == best })
                // Rounding to one decimal moves each share by at most 0.05.
                let sum: Double = summary.percentages.reduce(0, +)
                let tolerance: Double = 0.05 * Double(votes.count) + 1e-9
                #expect(abs(sum - 100) <= tolerance)
            } else {
                #expect(summary.winners.isEmpty)
            }
        }
    }
}

@Suite struct ConstantTimeTests {
    @Test("equal only for identical bytes, whatever the lengths")
    func equality() {
        #expect(ConstantTime.equals("secret-token", "secret-token"))
        #expect(!ConstantTime.equals("secret-token", "secret-tokeN"))
        #expect(!ConstantTime.equals("secret", "secret-token"))
        #expect(!ConstantTime.equals("", "x"))
        #expect(ConstantTime.equals("", ""))
    }
}
