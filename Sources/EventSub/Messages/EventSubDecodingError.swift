/// A frame or body that is not the EventSub message it claims to be. The daemon logs it and goes on.
public struct EventSubDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformed
            case missingField = "missing_field"
            case badTimestamp = "bad_timestamp"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not JSON, or not an object of the expected shape.
        public static var malformed: Self { .init(.malformed) }
        /// A required field is missing or has the wrong type.
        public static var missingField: Self { .init(.missingField) }
        /// `message_timestamp` is not RFC 3339 (ES-14).
        public static var badTimestamp: Self { .init(.badTimestamp) }

        /// The code as text, e.g. `malformed`.
        public var description: String { self.base.rawValue }
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
    public var description: String { "\(self.code): \(self.message)" }
}
