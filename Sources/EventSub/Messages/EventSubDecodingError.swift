/// A frame or body that is not the EventSub message it claims to be. The daemon logs it and goes on.
public struct EventSubDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Sendable {
        /// Not JSON, or not an object of the expected shape.
        case malformed
        /// A required field is missing or has the wrong type.
        case missingField = "missing_field"
        /// `message_timestamp` is not RFC 3339 (ES-14).
        case badTimestamp = "bad_timestamp"
    }

    /// The kind of problem.
    public let code: Code
    /// What was wrong, without the payload (it may be large or hostile).
    public let message: String

    /// Creates the error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code.rawValue): \(self.message)" }
}
