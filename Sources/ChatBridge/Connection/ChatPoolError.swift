/// Why a connection ended, a login or JOIN failed, or a call was refused by `ChatConnectionPool`.
public struct ChatPoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The machine-readable reason, stable across releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The closed set of reasons, kept private so new ones can be added without breaking callers.
        private enum Base: Sendable, Hashable {
            case invalidConfiguration
            case connectionFailed
            case closedByServer
            case loginFailed
            case loginTimedOut
            case tokenUnavailable
            case keepaliveTimedOut
            case reconnectRequested
            case idle
            case shutdown
            case joinTimedOut
            case channelSuspended
            case partedByServer
            case anonymous
            case notConnected
            case messageTooLong
            case invalidChannel
            case loginChanged
        }

        /// The wrapped reason.
        private let base: Base

        /// Creates a code from its private reason.
        private init(_ base: Base) {
            self.base = base
        }

        /// The configuration cannot work (e.g. a URL that is not `ws://` or `wss://`).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The socket, TLS or WebSocket upgrade failed, or the connection broke.
        public static let connectionFailed = Code(.connectionFailed)
        /// The server closed the connection without being asked.
        public static let closedByServer = Code(.closedByServer)
        /// The server refused the login (IRC-L5).
        public static let loginFailed = Code(.loginFailed)
        /// No `001` arrived in time after connecting (IRC-L4).
        public static let loginTimedOut = Code(.loginTimedOut)
        /// The token provider threw.
        public static let tokenUnavailable = Code(.tokenUnavailable)
        /// Our `PING` got no sign of life in time (IRC-P2).
        public static let keepaliveTimedOut = Code(.keepaliveTimedOut)
        /// The server asked us to reconnect and the connection was replaced (IRC-R1, IRC-R2).
        public static let reconnectRequested = Code(.reconnectRequested)
        /// The connection had no channels left and another one is open.
        public static let idle = Code(.idle)
        /// The pool is shutting down.
        public static let shutdown = Code(.shutdown)
        /// A JOIN got no confirmation in time; it is retried with backoff (IRC-J2).
        public static let joinTimedOut = Code(.joinTimedOut)
        /// The channel is suspended (`msg_channel_suspended`); retried with a long backoff (IRC-J2).
        public static let channelSuspended = Code(.channelSuspended)
        /// The server parted us from a wanted channel (e.g. a ban, IRC-J7); it is re-joined with backoff.
        public static let partedByServer = Code(.partedByServer)
        /// Sending needs a bot account; the pool reads anonymously (IRC-L3).
        public static let anonymous = Code(.anonymous)
        /// No connection is logged in right now.
        public static let notConnected = Code(.notConnected)
        /// The message exceeds Twitch's 500 characters (IRC-S2).
        public static let messageTooLong = Code(.messageTooLong)
        /// The channel name is empty once cleaned.
        public static let invalidChannel = Code(.invalidChannel)
        /// The pool's login changed and the connection was replaced by one under the new login.
        public static let loginChanged = Code(.loginChanged)

        /// A short name of the code, for logs.
        public var description: String {
            switch base {
            case .invalidConfiguration: "invalidConfiguration"
            case .connectionFailed: "connectionFailed"
            case .closedByServer: "closedByServer"
            case .loginFailed: "loginFailed"
            case .loginTimedOut: "loginTimedOut"
            case .tokenUnavailable: "tokenUnavailable"
            case .keepaliveTimedOut: "keepaliveTimedOut"
            case .reconnectRequested: "reconnectRequested"
            case .idle: "idle"
            case .shutdown: "shutdown"
            case .joinTimedOut: "joinTimedOut"
            case .channelSuspended: "channelSuspended"
            case .partedByServer: "partedByServer"
            case .anonymous: "anonymous"
            case .notConnected: "notConnected"
            case .messageTooLong: "messageTooLong"
            case .invalidChannel: "invalidChannel"
            case .loginChanged: "loginChanged"
            }
        }
    }

    /// The reason.
    public let code: Code
    /// A human-readable explanation; never contains a token.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The machine-readable reason.
    ///   - message: A human-readable explanation.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }
}
