/// A parsed line's bytes plus its layout: the toolkit the typed Twitch messages are built with.
///
/// Only valid inside `IRCMessage.withBytes`; it never escapes.
struct RawLine {
    /// The line's UTF-8 bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where each part of the line is.
    let layout: IRCLineLayout

    /// Calls `body` with the key and value offsets of every tag, in wire order; a bare key has an empty value.
    ///
    /// Eight bytes are tested at a time for `;` and `=` (SWAR zero-byte test) and every hit inside a word
    /// is handled from its bit mask, so the delimiter-dense tag section costs about one load per 8 bytes.
    @inline(__always)
    func forEachTag(_ body: (_ key: Range<Int>, _ value: Range<Int>) -> Void) {
        guard let base = bytes.baseAddress, layout.tagsEnd > layout.tagsStart else { return }
        let raw = UnsafeRawPointer(base)
        let end = layout.tagsEnd
        var keyStart = layout.tagsStart
        var equals = -1
        var index = keyStart
        /// Handles the delimiter at `position` (already known to be `;` or `=`).
        @inline(__always)
        func delimiter(at position: Int, _ byte: UInt8) {
            if byte == ASCII.equals {
                if equals < 0 { equals = position }
            } else {
                if position > keyStart {
                    if equals < 0 {
                        body(keyStart..<position, position..<position)
                    } else {
                        body(keyStart..<equals, (equals + 1)..<position)
                    }
                }
                keyStart = position + 1
                equals = -1
            }
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let semicolons = ones &* UInt64(ASCII.semicolon)
        let equalSigns = ones &* UInt64(ASCII.equals)
        while index + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let a = word ^ semicolons
            let b = word ^ equalSigns
            var hits = ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs)
            while hits != 0 {
                let position = index + hits.trailingZeroBitCount / 8
                let byte = base[position]
                // The zero-byte test can flag a byte just above a real hit; check the byte itself.
                if byte == ASCII.semicolon || byte == ASCII.equals { delimiter(at: position, byte) }
                hits &= hits &- 1
            }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == ASCII.semicolon || byte == ASCII.equals { delimiter(at: index, byte) }
            index += 1
        }
        delimiter(at: end, ASCII.semicolon)
    }

    /// Whether the key at `key` is spelled `literal`.
    @inline(__always)
    func key(_ key: Range<Int>, is literal: StaticString) -> Bool {
        bytes.equals(literal, from: key.lowerBound, to: key.upperBound)
    }

    /// Where the first parameter is, without a leading `#`; nil when the line has no parameter.
    func channelRange() -> Range<Int>? {
        guard layout.firstParamStart >= 0 else { return nil }
        var start = layout.firstParamStart
        if start < layout.firstParamEnd && bytes[start] == ASCII.hash { start += 1 }
        return start..<layout.firstParamEnd
    }

    /// The first parameter without a leading `#`, nil when the line has no parameter.
    func channel() -> String? {
        channelRange().map { bytes.string(from: $0.lowerBound, to: $0.upperBound) }
    }

    /// The last parameter as a string, nil when there is none.
    func lastParam() -> String? {
        guard layout.lastParamStart >= 0 else { return nil }
        return bytes.string(from: layout.lastParamStart, to: layout.lastParamEnd)
    }

    /// The last parameter when there are at least two (the text after a channel), nil otherwise.
    func textAfterChannel() -> String? {
        layout.paramCount >= 2 ? lastParam() : nil
    }

    /// Where the nick of a `nick!user@host` prefix (or a bare-word prefix) is; nil for a server prefix or none.
    func prefixNickRange() -> Range<Int>? {
        guard layout.prefixStart >= 0 else { return nil }
        let start = layout.prefixStart
        let end = layout.prefixEnd
        let bang = bytes.offset(of: ASCII.bang, from: start, to: end)
        let nickEnd = min(bang, bytes.offset(of: ASCII.at, from: start, to: bang))
        if nickEnd == end && bytes.offset(of: ASCII.dot, from: start, to: end) < end { return nil }
        return start..<nickEnd
    }

    /// The nick of a `nick!user@host` prefix (or a bare-word prefix); `""` for a server prefix or none.
    func prefixNick() -> String {
        prefixNickRange().map { bytes.string(from: $0.lowerBound, to: $0.upperBound) } ?? ""
    }

    /// The unescaped value in `slot`, nil when the tag was absent.
    @inline(__always)
    func string(_ slot: Range<Int>?) -> String? {
        guard let slot else { return nil }
        return IRCTags.unescape(bytes, from: slot.lowerBound, to: slot.upperBound)
    }

    /// The unescaped value in `slot`, nil when the tag was absent or empty (also once unescaped).
    @inline(__always)
    func nonEmptyString(_ slot: Range<Int>?) -> String? {
        guard let slot, !slot.isEmpty else { return nil }
        let value = IRCTags.unescape(bytes, from: slot.lowerBound, to: slot.upperBound)
        return value.isEmpty ? nil : value
    }

    /// The decimal value in `slot`, nil when absent or not a number.
    @inline(__always)
    func integer(_ slot: Range<Int>?) -> Int64? {
        guard let slot else { return nil }
        return bytes.decimal(from: slot.lowerBound, to: slot.upperBound)
    }

    /// Whether the value in `slot` is `1` (Twitch's boolean true).
    @inline(__always)
    func flag(_ slot: Range<Int>?) -> Bool {
        guard let slot else { return false }
        return slot.count == 1 && bytes[slot.lowerBound] == UInt8(ascii: "1")
    }

    /// A tri-state boolean: nil when absent or not `0`/`1`.
    @inline(__always)
    func optionalFlag(_ slot: Range<Int>?) -> Bool? {
        guard let slot, slot.count == 1 else { return nil }
        switch bytes[slot.lowerBound] {
        case UInt8(ascii: "1"): return true
        case UInt8(ascii: "0"): return false
        default: return nil
        }
    }
}

extension RawLine {
    /// The value ranges of `keys` in one pass over the tags (nil where absent; last occurrence wins).
    func tagValues(_ keys: StaticString...) -> [Range<Int>?] {
        var values = [Range<Int>?](repeating: nil, count: keys.count)
        forEachTag { key, value in
            for (index, literal) in keys.enumerated() where self.key(key, is: literal) {
                values[index] = value
                break
            }
        }
        return values
    }
}
