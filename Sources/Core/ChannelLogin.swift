/// A Twitch channel login: 4 to 25 characters of `a-z`, `0-9` and `_`, compared case-folded.
public struct ChannelLogin: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The shortest login accepted.
    public static let minimumLength = 4
    /// The longest login Twitch allows.
    public static let maximumLength = 25

    /// The lowercased login.
    public let value: String

    /// Validates and case-folds `text`; nil when it is not a Twitch login.
    public init?(_ text: String) {
        let folded = text.lowercased()
        guard (Self.minimumLength...Self.maximumLength).contains(folded.utf8.count),
            folded.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F })
        else { return nil }
        self.value = folded
    }

    /// Why `text` is not a login, for a field-level error message.
    public static func problem(with text: String) -> String? {
        if Self(text) != nil { return nil }
        let length = text.count
        if length < Self.minimumLength || length > Self.maximumLength {
            return "must be \(Self.minimumLength) to \(Self.maximumLength) characters (got \(length))"
        }
        return "may contain only letters, digits and underscores"
    }

    /// Decodes and validates a login string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let login = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a Twitch login"))
        }
        self = login
    }

    /// Encodes the login as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    /// Orders logins alphabetically.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    /// The login.
    public var description: String { self.value }
}
