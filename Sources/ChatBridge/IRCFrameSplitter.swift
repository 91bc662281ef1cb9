/// Splits WebSocket text frames into IRC lines (IRC-T2, IRC-T3).
///
/// A frame may carry several lines; CR, LF and CRLF all end a line and empty pieces are dropped.
/// A trailing piece without a terminator is kept and prepended to the next frame. The kept piece is
/// bounded: a line longer than `maximumLineLength` bytes is dropped (and counted), and the rest of it
/// is skipped up to its terminator, so memory never grows with hostile input.
///
/// Lines are handed out as `Substring`s of the frame whenever possible (no copy).
public struct IRCFrameSplitter: Sendable {
    /// The default bound on one line: 64 KiB, far above IRCv3's 8,191 bytes of tags plus 512 (IRC-T6).
    public static let defaultMaximumLineLength = 64 * 1024

    /// Lines longer than this many UTF-8 bytes are dropped.
    public let maximumLineLength: Int
    /// How many overlong lines were dropped since creation.
    public private(set) var droppedLineCount = 0
    /// The partial line carried over from the previous frame.
    private var pending = ""
    /// Whether the rest of an overlong line is being skipped up to its terminator.
    private var discarding = false

    /// Creates a splitter.
    /// - Parameter maximumLineLength: Bound on one line in bytes (at least 1).
    public init(maximumLineLength: Int = IRCFrameSplitter.defaultMaximumLineLength) {
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// Whether a partial line is waiting for the next frame.
    public var hasPartialLine: Bool { !pending.isEmpty || discarding }

    /// Size in bytes of the partial line waiting for the next frame.
    public var partialLineLength: Int { pending.utf8.count }

    /// Forgets any partial line, e.g. after a reconnect.
    public mutating func reset() {
        pending = ""
        discarding = false
    }

    /// Calls `body` with every complete line of `frame`, in order.
    ///
    /// If `body` throws, the error propagates and the rest of this frame is discarded.
    /// - Parameters:
    ///   - frame: The text of one WebSocket frame.
    ///   - body: Receives each non-empty line, without its terminator.
    public mutating func forEachLine(in frame: String, _ body: (Substring) throws -> Void) rethrows {
        var frame = frame
        if frame.utf8.withContiguousStorageIfAvailable({ _ in true }) == nil { frame.makeContiguousUTF8() }
        let pieces: [Range<Int>] =
            frame.utf8.withContiguousStorageIfAvailable { bytes in
                IRCFrameSplitter.lineRanges(bytes)
            } ?? []
        let utf8 = frame.utf8
        let total = utf8.count
        var consumed = 0
        for piece in pieces {
            consumed = piece.upperBound + 1
            if discarding {
                discarding = false
                continue
            }
            // CR and LF are ASCII, so these byte offsets are character boundaries: slice the string directly.
            let start = utf8.index(utf8.startIndex, offsetBy: piece.lowerBound)
            let slice = frame[start..<utf8.index(start, offsetBy: piece.count)]
            if !pending.isEmpty {
                let joined = pending + slice
                pending = ""
                if joined.utf8.count > maximumLineLength {
                    droppedLineCount += 1
                } else {
                    try body(joined[...])
                }
            } else if slice.isEmpty {
                continue
            } else if slice.utf8.count > maximumLineLength {
                droppedLineCount += 1
            } else {
                try body(slice)
            }
        }
        guard consumed < total, !discarding else { return }
        let rest = Substring(utf8[utf8.index(utf8.startIndex, offsetBy: consumed)...])
        if pending.utf8.count + rest.utf8.count > maximumLineLength {
            droppedLineCount += 1
            pending = ""
            discarding = true
        } else {
            pending += rest
        }
    }

    /// The complete lines of `frame`, in order (see `forEachLine(in:_:)`).
    /// - Parameter frame: The text of one WebSocket frame.
    public mutating func lines(in frame: String) -> [Substring] {
        var result: [Substring] = []
        forEachLine(in: frame) { result.append($0) }
        return result
    }

    /// The complete lines of a frame given as bytes; invalid UTF-8 is replaced with U+FFFD.
    /// - Parameter bytes: The payload of one WebSocket frame.
    public mutating func lines(in bytes: some Collection<UInt8>) -> [Substring] {
        lines(in: String(decoding: bytes, as: UTF8.self))
    }

    /// Byte ranges of every terminated piece of `bytes` (terminator excluded, empty pieces included).
    private static func lineRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let lf = bytes.offset(of: ASCII.lf, from: index, to: count)
            let cr = bytes.offset(of: ASCII.cr, from: index, to: lf)
            let stop = min(cr, lf)
            guard stop < count else { break }
            ranges.append(start..<stop)
            index = stop + 1
            start = index
        }
        return ranges
    }
}
