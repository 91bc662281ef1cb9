/// One parsed IRC line: IRCv3 tags, optional prefix, command and parameters (IRC-G1).
///
/// The message keeps the line (a `Substring`, usually of the WebSocket frame it came in) and the byte
/// offsets of its parts; parts are sliced and tags unescaped only when read. Parsing allocates nothing.
public struct IRCMessage: Sendable, Hashable, CustomStringConvertible {
    /// The line as received, without its CR/LF terminator.
    public let line: Substring
    /// Where each part of `line` is.
    let layout: IRCLineLayout

    /// Parses one line (a trailing CR/LF is ignored).
    /// - Parameter line: The line; it may be a slice of a larger frame, which it then keeps alive.
    /// - Throws: `IRCParseError` when the line is empty or has no valid command.
    public init(parsing line: Substring) throws(IRCParseError) {
        var line = line
        var scanned = line.utf8.withContiguousStorageIfAvailable { IRCLineLayout.scan($0) }
        if scanned == nil {
            var copy = String(line)
            copy.makeContiguousUTF8()
            line = copy[...]
            scanned = line.utf8.withContiguousStorageIfAvailable { IRCLineLayout.scan($0) }
        }
        switch scanned ?? .failure(.emptyLine) {
        case .success(let layout):
            self.line = line[..<line.utf8.index(line.utf8.startIndex, offsetBy: layout.end)]
            self.layout = layout
        case .failure(let failure):
            throw IRCParseError.from(failure)
        }
    }

    /// Parses one line (a trailing CR/LF is ignored).
    /// - Parameter line: The line.
    /// - Throws: `IRCParseError` when the line is empty or has no valid command.
    public init(parsing line: String) throws(IRCParseError) {
        try self.init(parsing: line[...])
    }

    /// Parses one line given as raw bytes; invalid UTF-8 is replaced with U+FFFD first.
    /// - Parameter bytes: The line's bytes.
    /// - Throws: `IRCParseError` when the line is empty or has no valid command.
    public init(parsingBytes bytes: some Collection<UInt8>) throws(IRCParseError) {
        try self.init(parsing: String(decoding: bytes, as: UTF8.self))
    }

    /// The command, e.g. `PRIVMSG` or `001`, as sent (Twitch sends upper case).
    public var command: Substring { slice(layout.commandStart, layout.commandEnd) }

    /// The numeric code when the command is three digits (`001`, `353`), else nil.
    public var numericCode: Int? {
        guard layout.commandEnd - layout.commandStart == 3 else { return nil }
        return Int(command)
    }

    /// The prefix text without `:` (`nick!nick@nick.tmi.twitch.tv`), nil when absent.
    public var rawPrefix: Substring? {
        guard layout.prefixStart >= 0 else { return nil }
        return slice(layout.prefixStart, layout.prefixEnd)
    }

    /// The parsed prefix, nil when absent.
    public var prefix: IRCPrefix? { rawPrefix.map(IRCPrefix.init(parsing:)) }

    /// The tags, decoded lazily; empty when the line has none.
    public var tags: IRCTags { IRCTags(rawValue: slice(layout.tagsStart, layout.tagsEnd)) }

    /// The unescaped value of tag `key`, nil when absent (shorthand for `tags[key]`).
    public func tag(_ key: String) -> String? { tags[key] }

    /// Number of parameters, the trailing one included.
    public var paramCount: Int { layout.paramCount }

    /// The first parameter (the channel for most Twitch commands), nil when there is none.
    public var firstParam: Substring? {
        guard layout.firstParamStart >= 0 else { return nil }
        return slice(layout.firstParamStart, layout.firstParamEnd)
    }

    /// The last parameter (the trailing one when present), nil when there is none.
    public var lastParam: Substring? {
        guard layout.lastParamStart >= 0 else { return nil }
        return slice(layout.lastParamStart, layout.lastParamEnd)
    }

    /// The trailing parameter (after the first ` :`), nil when the line has none; it may be empty.
    public var trailing: Substring? { layout.hasTrailing ? lastParam : nil }

    /// All parameters in order, the trailing one last and kept verbatim.
    public var params: [Substring] {
        let layout = layout
        let ranges: [Range<Int>] = withBytes { bytes in
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(layout.paramCount)
            var index = layout.paramsStart
            while index < layout.end && bytes[index] == ASCII.space {
                while index < layout.end && bytes[index] == ASCII.space { index += 1 }
                guard index < layout.end else { break }
                if bytes[index] == ASCII.colon {
                    ranges.append((index + 1)..<layout.end)
                    break
                }
                let stop = bytes.offset(of: ASCII.space, from: index, to: layout.end)
                ranges.append(index..<stop)
                index = stop
            }
            return ranges
        }
        return ranges.map { slice($0.lowerBound, $0.upperBound) }
    }

    /// The original line.
    public var description: String { String(line) }

    /// Two messages are equal when their lines are.
    public static func == (lhs: IRCMessage, rhs: IRCMessage) -> Bool { lhs.line == rhs.line }

    /// Hashes the line.
    public func hash(into hasher: inout Hasher) { hasher.combine(line) }

    /// The part of `line` between two byte offsets.
    func slice(_ from: Int, _ to: Int) -> Substring {
        let utf8 = line.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: from)
        let end = utf8.index(start, offsetBy: to - from)
        return Substring(utf8[start..<end])
    }

    /// Runs `body` with the line's contiguous UTF-8 bytes (the offsets in `layout` index them).
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = line.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = String(line)
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }
}
