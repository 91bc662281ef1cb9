/// An error from the Redis client: a stable ``Code`` plus a human-readable message.
public struct RedisError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, as a closed set of stable values.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionUnavailable
            case connectionClosed
            case timeout
            case protocolError
            case replyTooLarge
            case server
            case noScript
            case authenticationFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// There is no live connection right now (Redis down or reconnecting); nothing was sent.
        public static var connectionUnavailable: Self { .init(.connectionUnavailable) }
        /// The connection closed while the command was in flight; it may or may not have run.
        public static var connectionClosed: Self { .init(.connectionClosed) }
        /// No reply arrived within the command timeout; the connection was closed.
        public static var timeout: Self { .init(.timeout) }
        /// Redis sent bytes that are not valid RESP2 (or nested deeper than supported).
        public static var protocolError: Self { .init(.protocolError) }
        /// A reply exceeded `maxReplyBytes` or `maxReplyElements`.
        public static var replyTooLarge: Self { .init(.replyTooLarge) }
        /// Redis answered with an error reply (`-ERR …`, `-WRONGTYPE …`, …).
        public static var server: Self { .init(.server) }
        /// Redis answered `-NOSCRIPT`: the script is not in its script cache.
        public static var noScript: Self { .init(.noScript) }
        /// AUTH was refused during connection set-up.
        public static var authenticationFailed: Self { .init(.authenticationFailed) }

        /// The code's name, e.g. `connectionClosed`.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Details, e.g. the server's error text.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Details for logs.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(self.code): \(self.message)" }
}

extension RedisError {
    /// Maps a server error reply to an error: `NOSCRIPT …` to ``Code/noScript``, the rest to ``Code/server``.
    init(serverReply text: String) {
        if text.hasPrefix("NOSCRIPT") {
            self.init(.noScript, message: text)
        } else {
            self.init(.server, message: text)
        }
    }

    /// Wraps a transport or NIO error that closed the connection.
    init(closedBy error: any Error) {
        if let redisError = error as? RedisError {
            self = redisError
        } else {
            self.init(.connectionClosed, message: "connection closed: \(error)")
        }
    }
}
