/// A fixed-capacity ring of the last chat lines of one channel, replayed on JOIN (IRC-T5).
struct ReplayBuffer: Sendable {
    /// How many lines are kept.
    let capacity: Int
    /// Storage; grows up to `capacity`, then is overwritten in place.
    private var storage: [OutgoingLine] = []
    /// Index of the oldest line once the ring is full.
    private var head = 0

    /// Creates an empty ring.
    /// - Parameter capacity: Lines kept (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends a line, evicting the oldest when full.
    mutating func append(_ line: OutgoingLine) {
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
    }

    /// The kept lines, oldest first.
    var lines: [OutgoingLine] {
        guard head > 0 else { return storage }
        return Array(storage[head...] + storage[..<head])
    }
}
