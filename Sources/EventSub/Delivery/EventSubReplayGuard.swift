/// At-least-once delivery, made exactly-once: remembers message ids for the replay window and refuses messages
/// older than it (ES-13, WH-4).
///
/// Twitch resends a message with the same `message_id`; an attacker replaying a captured webhook would have to do it
/// within the window too. An id is forgotten once its message would be refused as stale anyway, so memory is bounded
/// by the messages of the last ten minutes.
public struct EventSubReplayGuard: Sendable {
    /// What to do with a message.
    public enum Verdict: String, Sendable, Hashable {
        /// Not seen before and recent: process it.
        case fresh
        /// Seen before: acknowledge it, do nothing.
        case duplicate
        /// Sent longer ago than the window (or that far in the future): refuse it.
        case stale
    }

    /// Ten minutes, as Twitch documents.
    public static let window: Int64 = 600

    /// id → the second after which the message is stale anyway.
    private var expiries: [String: Int64] = [:]
    /// Ids in arrival order with their expiry, for eviction.
    private var arrivals: [(id: String, expiry: Int64)] = []
    /// Index of the oldest arrival not yet evicted.
    private var head = 0

    /// Creates an empty guard.
    public init() {}

    /// How many ids are remembered.
    public var count: Int { self.expiries.count }

    /// Decides about message `id` sent at `sentAt`, as of `now`, and remembers it when it is fresh.
    public mutating func admit(id: String, sentAt: TwitchTimestamp, now: TwitchTimestamp) -> Verdict {
        self.evict(now: now.secondsSince1970)
        let age = now.secondsSince1970 - sentAt.secondsSince1970
        guard age <= Self.window, age >= -Self.window else { return .stale }
        guard self.expiries[id] == nil else { return .duplicate }
        let expiry = sentAt.secondsSince1970 + Self.window + 1
        self.expiries[id] = expiry
        self.arrivals.append((id, expiry))
        return .fresh
    }

    private mutating func evict(now: Int64) {
        while self.head < self.arrivals.count, self.arrivals[self.head].expiry <= now {
            let arrival = self.arrivals[self.head]
            if self.expiries[arrival.id] == arrival.expiry { self.expiries[arrival.id] = nil }
            self.head += 1
        }
        // Compact once the evicted prefix dominates, so the array does not grow for ever.
        if self.head > 1_024, self.head * 2 > self.arrivals.count {
            self.arrivals.removeFirst(self.head)
            self.head = 0
        }
    }
}
