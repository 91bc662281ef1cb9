/// A rate limiter as a pure value: at most `capacity` takes in any window of length `period` (IRC-J3, IRC-S3).
///
/// Each spent token comes back exactly `period` after it was taken (a sliding-window log), so unlike a
/// refilling bucket it never allows a burst on top of the refill: any window of length `period`, wherever
/// it starts, holds at most `capacity` takes. Time is passed in, never read, so it is tested without a clock.
/// Instants must not go backwards; an earlier instant than one already used counts as that later one.
public struct TokenBucket: Sendable {
    /// Takes allowed per window.
    public let capacity: Int
    /// The window length.
    public let period: Duration
    /// Instants of the takes that may still be inside a window, oldest first (from `head`).
    private var spent: [ContinuousClock.Instant] = []
    /// Index of the oldest live entry of `spent`.
    private var head = 0

    /// Creates a full bucket.
    /// - Parameters:
    ///   - capacity: Takes allowed per window (at least 1).
    ///   - period: The window length (positive).
    public init(capacity: Int, period: Duration) {
        self.capacity = max(1, capacity)
        self.period = max(period, .nanoseconds(1))
    }

    /// Creates a full bucket from a rate limit.
    /// - Parameter limit: Takes per period.
    public init(_ limit: ChatRateLimit) {
        self.init(capacity: limit.count, period: limit.period)
    }

    /// Tokens that can be taken at `now`.
    /// - Parameter now: The current instant.
    public func available(at now: ContinuousClock.Instant) -> Int {
        capacity - liveCount(at: now)
    }

    /// Takes `count` tokens at `now` if that many are available; takes nothing otherwise.
    /// - Parameters:
    ///   - count: Tokens wanted (a multi-channel `JOIN #a,#b` takes one per channel).
    ///   - now: The current instant.
    /// - Returns: Whether the tokens were taken.
    @discardableResult
    public mutating func take(_ count: Int = 1, at now: ContinuousClock.Instant) -> Bool {
        guard count > 0 else { return true }
        prune(at: now)
        guard spent.count - head + count <= capacity else { return false }
        let instant = max(now, spent.last ?? now)
        for _ in 0..<count { spent.append(instant) }
        return true
    }

    /// The earliest instant, not before `now`, at which `count` tokens are available.
    /// - Parameters:
    ///   - count: Tokens wanted; more than `capacity` is treated as `capacity`.
    ///   - now: The current instant.
    public func nextAvailable(_ count: Int = 1, at now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let wanted = min(max(count, 0), capacity)
        let live = liveCount(at: now)
        let missing = live + wanted - capacity
        guard missing > 0 else { return now }
        // The `missing` oldest live takes must expire first.
        let oldestLive = spent.count - live
        return max(now, spent[oldestLive + missing - 1] + period)
    }

    /// Number of takes still inside the window ending at `now`.
    private func liveCount(at now: ContinuousClock.Instant) -> Int {
        var index = head
        while index < spent.count && spent[index] + period <= now { index += 1 }
        return spent.count - index
    }

    /// Forgets takes that left the window and compacts the storage now and then.
    private mutating func prune(at now: ContinuousClock.Instant) {
        while head < spent.count && spent[head] + period <= now { head += 1 }
        if head == spent.count {
            spent.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > spent.count {
            spent.removeFirst(head)
            head = 0
        }
    }
}
