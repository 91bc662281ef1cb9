/// A compact byte range inside a line (`-1..<-1` when absent), used to defer string creation.
struct ByteSpan: Sendable, Hashable {
    /// First byte offset, `-1` when absent.
    var start: Int32
    /// End byte offset (exclusive), `-1` when absent.
    var end: Int32

    /// The absent span.
    static let absent = ByteSpan(start: -1, end: -1)

    /// Creates a span from offsets.
    init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    /// Creates a span from a range, or the absent span for nil.
    @inline(__always)
    init(_ range: Range<Int>?) {
        if let range {
            start = Int32(truncatingIfNeeded: range.lowerBound)
            end = Int32(truncatingIfNeeded: range.upperBound)
        } else {
            self = .absent
        }
    }

    /// Whether the span marks something present.
    var isPresent: Bool { start >= 0 }

    /// Whether the span is present and non-empty.
    var isNonEmpty: Bool { start >= 0 && end > start }
}
