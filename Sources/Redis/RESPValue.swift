public import NIOCore

/// One RESP2 reply value as sent by Redis.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `+OK`.
    case simpleString(String)
    /// An error reply such as `-ERR unknown command`; the text after the dash.
    case error(String)
    /// An integer reply such as `:42`.
    case integer(Int64)
    /// A bulk string; `nil` is the null bulk string `$-1`.
    case bulkString(ByteBuffer?)
    /// An array; `nil` is the null array `*-1`.
    case array([RESPValue]?)
}

extension RESPValue {
    /// The value as text: simple strings, errors, bulk strings (UTF-8) and integers; `nil` otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text), .error(let text):
            return text
        case .bulkString(let buffer?):
            return String(buffer: buffer)
        case .integer(let value):
            return String(value)
        case .bulkString(nil), .array:
            return nil
        }
    }

    /// The value as an integer: integer replies, and bulk or simple strings holding a decimal integer.
    public var int: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .bulkString(let buffer?):
            return Int64(String(buffer: buffer))
        case .simpleString(let text):
            return Int64(text)
        case .error, .bulkString(nil), .array:
            return nil
        }
    }

    /// The elements of a non-null array reply; `nil` for every other value.
    public var array: [RESPValue]? {
        if case .array(let elements?) = self { return elements }
        return nil
    }

    /// The raw bytes of a non-null bulk string; `nil` for every other value.
    public var buffer: ByteBuffer? {
        if case .bulkString(let buffer?) = self { return buffer }
        return nil
    }

    /// Whether the value is the null bulk string or the null array.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil):
            return true
        default:
            return false
        }
    }
}

extension RESPValue: CustomStringConvertible {
    /// A readable rendering for logs and test failures.
    public var description: String {
        switch self {
        case .simpleString(let text):
            return "+\(text)"
        case .error(let text):
            return "-\(text)"
        case .integer(let value):
            return ":\(value)"
        case .bulkString(let buffer?):
            return "\"\(String(buffer: buffer))\""
        case .bulkString(nil):
            return "(nil bulk)"
        case .array(let elements?):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .array(nil):
            return "(nil array)"
        }
    }
}
