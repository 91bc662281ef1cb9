#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// ASCII byte constants and small allocation-free helpers the IRC parser runs on.
enum ASCII {
    /// `\r`
    static let cr: UInt8 = 0x0D
    /// `\n`
    static let lf: UInt8 = 0x0A
    /// ` `
    static let space: UInt8 = 0x20
    /// `@`
    static let at: UInt8 = 0x40
    /// `:`
    static let colon: UInt8 = 0x3A
    /// `;`
    static let semicolon: UInt8 = 0x3B
    /// `=`
    static let equals: UInt8 = 0x3D
    /// `!`
    static let bang: UInt8 = 0x21
    /// `.`
    static let dot: UInt8 = 0x2E
    /// `#`
    static let hash: UInt8 = 0x23
    /// `,`
    static let comma: UInt8 = 0x2C
    /// `/`
    static let slash: UInt8 = 0x2F
    /// `-`
    static let minus: UInt8 = 0x2D
    /// `\`
    static let backslash: UInt8 = 0x5C
    /// `\u{01}`, the CTCP delimiter around `ACTION`.
    static let ctcp: UInt8 = 0x01
    /// `0`
    static let zero: UInt8 = 0x30
    /// `9`
    static let nine: UInt8 = 0x39
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Offset of the first `byte` in `from..<to`, or `to` when absent (memchr on the hot path).
    @inline(__always)
    func offset(of byte: UInt8, from: Int, to: Int) -> Int {
        guard from < to, let base = baseAddress else { return to }
        #if canImport(Darwin) || canImport(Glibc) || canImport(Musl)
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        #else
        var index = from
        while index < to {
            if base[index] == byte { return index }
            index += 1
        }
        return to
        #endif
    }

    /// Whether `from..<to` holds exactly the bytes of `literal` (word-wise compare; keys are short).
    @inline(__always)
    func equals(_ literal: StaticString, from: Int, to: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard to - from == count else { return false }
        guard count > 0, let base = baseAddress else { return true }
        let lhs = UnsafeRawPointer(base + from)
        let rhs = UnsafeRawPointer(literal.utf8Start)
        var index = 0
        while index + 8 <= count {
            if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < count {
            if lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index += 1
        }
        return true
    }

    /// Whether `from..<to` equals `literal`, ignoring ASCII letter case (the literal must be upper case).
    @inline(__always)
    func equalsIgnoringCase(_ literal: StaticString, from: Int, to: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard to - from == count, let base = baseAddress else { return false }
        let lit = literal.utf8Start
        var index = 0
        while index < count {
            var byte = base[from + index]
            if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
            if byte != lit[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether `from..<to` starts with `literal`.
    @inline(__always)
    func hasPrefix(_ literal: StaticString, from: Int, to: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard to - from >= count, let base = baseAddress else { return count == 0 }
        return memcmp(base + from, literal.utf8Start, count) == 0
    }

    /// A new `String` from the bytes `from..<to` (invalid UTF-8 is repaired with U+FFFD).
    @inline(__always)
    func string(from: Int, to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: self[from..<to]), as: UTF8.self)
    }

    /// The decimal integer spelled by `from..<to` (optional leading `-`), or nil when empty, not a number or too long.
    @inline(__always)
    func decimal(from: Int, to: Int) -> Int64? {
        var index = from
        var negative = false
        if index < to && self[index] == ASCII.minus {
            negative = true
            index += 1
        }
        guard index < to, to - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < to {
            let byte = self[index]
            guard byte >= ASCII.zero && byte <= ASCII.nine else { return nil }
            value = value &* 10 &+ Int64(byte &- ASCII.zero)
            index += 1
        }
        return negative ? -value : value
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Offset of the first `first` or `second` byte in `from..<to`, or `to` when neither occurs.
    ///
    /// Reads eight bytes at a time (SWAR zero-byte test), which beats both a byte loop and per-tag
    /// `memchr` calls on the short, delimiter-dense tag section.
    @inline(__always)
    func offset(ofEither first: UInt8, _ second: UInt8, from: Int, to: Int) -> Int {
        guard let base = baseAddress else { return to }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let firstPattern = ones &* UInt64(first)
        let secondPattern = ones &* UInt64(second)
        var index = from
        while index + 8 <= to {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let a = word ^ firstPattern
            let b = word ^ secondPattern
            let hits = ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs)
            if hits != 0 { return index + hits.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < to {
            let byte = base[index]
            if byte == first || byte == second { return index }
            index += 1
        }
        return to
    }
}
