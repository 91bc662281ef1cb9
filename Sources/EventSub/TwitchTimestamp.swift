#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An RFC 3339 instant as EventSub and Helix send it, kept to the nanosecond (ES-14).
///
/// Twitch sends 0 to 9 fraction digits (`2023-04-11T18:08:24Z`, `…26.90092605Z`,
/// `…12.634234626Z`) and `Z` or a numeric offset. `ISO8601DateFormatter` rejects some of these and
/// truncates others to milliseconds, so this is a hand parser over the UTF-8 bytes. It accepts
/// `T`/`t`/space between date and time, `Z`/`z`/`±hh:mm`, any number of fraction digits (the first
/// nine are kept), and `60` seconds (a leap second, folded into the next minute).
public struct TwitchTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64
    /// Nanoseconds past `secondsSince1970`, `0..<1_000_000_000`.
    public let nanoseconds: Int32

    /// Creates an instant from its parts.
    /// - Parameters:
    ///   - secondsSince1970: Whole seconds since the Unix epoch.
    ///   - nanoseconds: Nanoseconds past that second; values outside `0..<1e9` are normalised.
    public init(secondsSince1970: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds).quotientAndRemainder(dividingBy: 1_000_000_000)
        var seconds = secondsSince1970 &+ carry.quotient
        var nanos = carry.remainder
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        }
        self.secondsSince1970 = seconds
        self.nanoseconds = Int32(nanos)
    }

    /// Parses an RFC 3339 timestamp; nil when it is not one.
    /// - Parameter text: For example `2025-03-21T08:33:26.90092605Z`.
    public init?(rfc3339 text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ TwitchTimestamp.parse($0) }) else { return nil }
        self = parsed
    }

    /// The instant as a `Date` (sub-microsecond precision for current dates).
    public var date: Date {
        Date(timeIntervalSince1970: Double(secondsSince1970) + Double(nanoseconds) / 1_000_000_000)
    }

    /// The instant as RFC 3339 in UTC, with as many fraction digits as needed (none for whole seconds).
    public var description: String {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = TwitchTimestamp.civil(fromDays: days)
        var result = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        result += "T" + pad(secondOfDay / 3_600, 2) + ":" + pad(secondOfDay % 3_600 / 60, 2) + ":"
        result += pad(secondOfDay % 60, 2)
        if nanoseconds > 0 {
            var fraction = pad(Int64(nanoseconds), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            result += "." + fraction
        }
        return result + "Z"
    }

    /// Orders instants in time.
    public static func < (lhs: TwitchTimestamp, rhs: TwitchTimestamp) -> Bool {
        (lhs.secondsSince1970, lhs.nanoseconds) < (rhs.secondsSince1970, rhs.nanoseconds)
    }

    /// Decodes a JSON string holding an RFC 3339 timestamp.
    /// - Parameter decoder: The decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = TwitchTimestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "not an RFC 3339 timestamp"
            )
        }
        self = parsed
    }

    /// Encodes the timestamp as its RFC 3339 string.
    /// - Parameter encoder: The encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `value` in decimal, left-padded with zeros to `width`.
    private func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The parser over UTF-8 bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TwitchTimestamp? {
        var index = 0
        /// Reads exactly `count` ASCII digits.
        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += count
            return value
        }
        /// Consumes one byte if it is one of `accepted`.
        func expect(_ accepted: UInt8...) -> Bool {
            guard index < bytes.count, accepted.contains(bytes[index]) else { return false }
            index += 1
            return true
        }

        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
            expect(0x54, 0x74, 0x20), let hour = digits(2), expect(0x3A), let minute = digits(2), expect(0x3A),
            let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour <= 23,
            minute <= 59, second <= 60
        else { return nil }

        var nanos: Int64 = 0
        if expect(0x2E) {
            var count = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if count < 9 { nanos = nanos * 10 + Int64(bytes[index] - 0x30) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 9)..<9 { nanos *= 10 }
        }

        var offsetSeconds: Int64 = 0
        if !expect(0x5A, 0x7A) {
            guard index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D else { return nil }
            let sign: Int64 = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let offsetHour = digits(2), expect(0x3A), let offsetMinute = digits(2), offsetHour <= 23,
                offsetMinute <= 59
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3_600 + offsetMinute * 60)
        }
        guard index == bytes.count else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return TwitchTimestamp(secondsSince1970: seconds, nanoseconds: Int32(nanos))
    }

    /// Number of days in `month` of `year` (proleptic Gregorian).
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a civil date (H. Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
