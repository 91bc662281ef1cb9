/// A read-only, lazily decoded view of the IRCv3 tag section of a message (IRC-G2, IRC-G3).
///
/// Nothing is split or unescaped until a tag is asked for; unknown tags cost nothing.
/// Lookups scan the section, and when a key appears twice the last occurrence wins.
public struct IRCTags: Sendable, Sequence {
    /// One tag as it appears on the wire.
    public typealias Element = (key: Substring, rawValue: Substring)

    /// The tag section without the leading `@` (empty when the message has no tags).
    public let rawValue: Substring

    /// Creates a view over a raw tag section.
    /// - Parameter rawValue: Text between `@` and the first space, e.g. `a=b;c`.
    public init(rawValue: Substring) {
        self.rawValue = rawValue
    }

    /// Whether the message carries no tags.
    public var isEmpty: Bool { rawValue.isEmpty }

    /// The unescaped value of `key`; `""` for `key=` and a bare `key`; nil when absent.
    public subscript(key: String) -> String? {
        rawValue(forKey: key).map(IRCTags.unescape)
    }

    /// The value of `key` exactly as sent (still escaped), nil when absent.
    public func rawValue(forKey key: String) -> Substring? {
        var found: Substring?
        for tag in self where tag.key == key {
            found = tag.rawValue
        }
        return found
    }

    /// Whether the tag `key` is present (with or without a value).
    public func contains(_ key: String) -> Bool {
        rawValue(forKey: key) != nil
    }

    /// All tags, unescaped, the last occurrence of a duplicated key winning.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for tag in self {
            result[String(tag.key)] = IRCTags.unescape(tag.rawValue)
        }
        return result
    }

    /// An iterator over the tags in wire order; empty pieces (`a;;b`) are skipped.
    public func makeIterator() -> Iterator {
        Iterator(remaining: rawValue)
    }

    /// Walks the tag section one `;`-separated piece at a time.
    public struct Iterator: IteratorProtocol {
        /// The part of the section not yet returned.
        var remaining: Substring

        /// The next tag, split on its first `=`.
        public mutating func next() -> Element? {
            while !remaining.isEmpty {
                let piece: Substring
                if let semicolon = remaining.utf8.firstIndex(of: ASCII.semicolon) {
                    piece = remaining[remaining.startIndex..<semicolon]
                    remaining = remaining[remaining.utf8.index(after: semicolon)...]
                } else {
                    piece = remaining
                    remaining = remaining[remaining.endIndex...]
                }
                if piece.isEmpty { continue }
                if let equals = piece.utf8.firstIndex(of: ASCII.equals) {
                    return (piece[piece.startIndex..<equals], piece[piece.utf8.index(after: equals)...])
                }
                return (piece, piece[piece.endIndex...])
            }
            return nil
        }
    }

    /// Decodes an escaped tag value: `\:` `;`, `\s` space, `\\` `\`, `\r` CR, `\n` LF; any other escaped
    /// character loses its backslash and a lone trailing backslash is dropped (IRC-G3).
    /// - Parameter raw: The value as sent.
    public static func unescape(_ raw: some StringProtocol) -> String {
        guard raw.utf8.contains(ASCII.backslash) else { return String(raw) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var escaping = false
        for byte in raw.utf8 {
            if escaping {
                escaping = false
                bytes.append(unescaped(byte))
            } else if byte == ASCII.backslash {
                escaping = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes the escaped bytes `from..<to` of `buffer` straight into a `String` (the parser's fast path).
    static func unescape(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        let backslash = buffer.offset(of: ASCII.backslash, from: from, to: to)
        guard backslash < to else { return buffer.string(from: from, to: to) }
        return String(unsafeUninitializedCapacity: to - from) { output in
            var written = 0
            var index = from
            while index < to {
                let byte = buffer[index]
                if byte == ASCII.backslash {
                    if index + 1 < to {
                        output[written] = unescaped(buffer[index + 1])
                        written += 1
                    }
                    index += 2
                } else {
                    output[written] = byte
                    written += 1
                    index += 1
                }
            }
            return written
        }
    }

    /// The byte an escape sequence `\<byte>` stands for.
    @inline(__always)
    static func unescaped(_ byte: UInt8) -> UInt8 {
        switch byte {
        case ASCII.colon: ASCII.semicolon
        case UInt8(ascii: "s"): ASCII.space
        case UInt8(ascii: "r"): ASCII.cr
        case UInt8(ascii: "n"): ASCII.lf
        default: byte
        }
    }

    /// Escapes a value for sending in a tag: `;` `\:`, space `\s`, `\` `\\`, CR `\r`, LF `\n` (IRC-G3).
    /// - Parameter value: The plain value.
    public static func escape(_ value: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case ";": result += "\\:"
            case " ": result += "\\s"
            case "\\": result += "\\\\"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
