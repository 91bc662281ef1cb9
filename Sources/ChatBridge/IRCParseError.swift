/// Why a line could not be parsed as an IRC message (IRC-G1).
public struct IRCParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The machine-readable reason, stable across releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The closed set of reasons, kept private so new ones can be added without breaking callers.
        private enum Base: Sendable, Hashable {
            case emptyLine
            case emptyTags
            case emptyPrefix
            case missingCommand
            case invalidCommand
        }

        /// The wrapped reason.
        private let base: Base

        /// Creates a code from its private reason.
        private init(_ base: Base) {
            self.base = base
        }

        /// The line was empty or held only spaces and line terminators.
        public static let emptyLine = Code(.emptyLine)
        /// The line starts with `@` but the tag section is empty (`@ PING`).
        public static let emptyTags = Code(.emptyTags)
        /// The prefix marker `:` is followed directly by a space (`: PING`).
        public static let emptyPrefix = Code(.emptyPrefix)
        /// Tags and/or prefix are present but no command follows (`@a=b`, `:tmi.twitch.tv`, `@`).
        public static let missingCommand = Code(.missingCommand)
        /// The command is neither letters only nor a three-digit numeric (`P!NG`, `P1NG`).
        public static let invalidCommand = Code(.invalidCommand)

        /// A short name of the code, for logs.
        public var description: String {
            switch base {
            case .emptyLine: "emptyLine"
            case .emptyTags: "emptyTags"
            case .emptyPrefix: "emptyPrefix"
            case .missingCommand: "missingCommand"
            case .invalidCommand: "invalidCommand"
            }
        }
    }

    /// The reason the line was rejected.
    public let code: Code
    /// A human-readable explanation; never contains the line itself (it may carry chat text).
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The machine-readable reason.
    ///   - message: A human-readable explanation.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }

    /// The error for a layout failure found by the scanner.
    static func from(_ failure: IRCLineLayout.Failure) -> IRCParseError {
        switch failure {
        case .emptyLine: IRCParseError(code: .emptyLine, message: "the line is empty")
        case .emptyTags: IRCParseError(code: .emptyTags, message: "the tag section after '@' is empty")
        case .emptyPrefix: IRCParseError(code: .emptyPrefix, message: "the prefix after ':' is empty")
        case .missingCommand: IRCParseError(code: .missingCommand, message: "no command after tags/prefix")
        case .invalidCommand:
            IRCParseError(code: .invalidCommand, message: "the command is neither letters nor a 3-digit numeric")
        }
    }
}
