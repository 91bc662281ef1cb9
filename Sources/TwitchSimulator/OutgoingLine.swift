import NIOCore

/// One server line ready to send: its UTF-8 bytes with the CRLF terminator, plus what a connection
/// must have requested to receive it.
///
/// Lines are encoded once and shared by every recipient. A connection without `twitch.tv/tags`
/// receives the bytes after `bodyStart` (the line without its `@tags ` part); a line that only exists
/// with `twitch.tv/commands` (USERSTATE, ROOMSTATE, CLEARCHAT, ...) is skipped for connections that
/// did not request it (IRC-C1).
struct OutgoingLine: Sendable {
    /// The full line, tags included, terminated by CRLF (IRC-T2).
    let bytes: [UInt8]
    /// Offset of the line without its tags (0 when there are none).
    let bodyStart: Int
    /// Whether only connections with `twitch.tv/commands` receive it.
    let requiresCommands: Bool

    /// Builds a line from optional raw tags (already escaped, without `@`) and the rest of the line.
    /// - Parameters:
    ///   - tags: `key=value;key=value`, or nil for no tag section.
    ///   - body: Prefix, command and parameters; CR, LF and NUL are removed.
    ///   - requiresCommands: Whether the line needs the commands capability.
    init(tags: String?, body: String, requiresCommands: Bool = false) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((tags?.utf8.count ?? 0) + body.utf8.count + 4)
        if let tags {
            bytes.append(UInt8(ascii: "@"))
            bytes.append(contentsOf: tags.utf8)
            bytes.append(UInt8(ascii: " "))
        }
        let bodyStart = bytes.count
        bytes.append(contentsOf: body.utf8.lazy.filter { $0 != 0x0D && $0 != 0x0A && $0 != 0 })
        bytes.append(0x0D)
        bytes.append(0x0A)
        self.bytes = bytes
        self.bodyStart = bodyStart
        self.requiresCommands = requiresCommands
    }

    /// A line already encoded by `LineBuilder`.
    init(bytes: [UInt8], bodyStart: Int, requiresCommands: Bool) {
        self.bytes = bytes
        self.bodyStart = bodyStart
        self.requiresCommands = requiresCommands
    }

    /// A verbatim line supplied by a test; a missing CRLF is added, tags are never stripped.
    /// - Parameter raw: One or more lines; embedded CRLFs are kept (IRC-T2).
    init(raw: String) {
        var bytes = Array(raw.utf8)
        if bytes.last != 0x0A { bytes.append(contentsOf: [0x0D, 0x0A]) }
        self.bytes = bytes
        self.bodyStart = 0
        self.requiresCommands = false
    }

    /// The line as text, without CRLF (for logs and tests).
    var text: String {
        String(decoding: bytes.dropLast(2), as: UTF8.self)
    }
}

/// Packs lines into WebSocket text-frame payloads of at most `limit` bytes, several lines per frame
/// (IRC-T2). A line longer than the limit gets a frame of its own; lines are never split.
struct FramePacker {
    /// Upper bound on one payload in bytes.
    let limit: Int
    /// Whether the recipient asked for `twitch.tv/tags` (applies to lines appended from now on).
    var includeTags: Bool
    /// Whether the recipient asked for `twitch.tv/commands` (applies to lines appended from now on).
    var includeCommands: Bool
    /// Completed payloads.
    private(set) var frames: [ByteBuffer] = []
    /// The payload being filled.
    private var current: ByteBuffer?
    /// Number of lines packed so far.
    private(set) var lineCount = 0

    /// Creates an empty packer.
    /// - Parameters:
    ///   - limit: Maximum payload size in bytes.
    ///   - includeTags: Keep `@tags` sections.
    ///   - includeCommands: Keep commands-only lines.
    init(limit: Int, includeTags: Bool, includeCommands: Bool) {
        self.limit = max(64, limit)
        self.includeTags = includeTags
        self.includeCommands = includeCommands
    }

    /// Whether nothing has been packed.
    var isEmpty: Bool { current == nil && frames.isEmpty }

    /// Appends a line, subject to the recipient's capabilities.
    mutating func append(_ line: OutgoingLine) {
        if line.requiresCommands && !includeCommands { return }
        let start = includeTags ? 0 : line.bodyStart
        let size = line.bytes.count - start
        if let existing = current, existing.readableBytes + size > limit {
            frames.append(existing)
            current = nil
        }
        var buffer = current ?? ByteBufferAllocator().buffer(capacity: max(size, min(limit, 4096)))
        current = nil
        buffer.writeBytes(line.bytes[start...])
        current = buffer
        lineCount += 1
    }

    /// All payloads, leaving the packer empty.
    mutating func take() -> [ByteBuffer] {
        if let existing = current {
            frames.append(existing)
            current = nil
        }
        defer { frames = [] }
        return frames
    }
}
