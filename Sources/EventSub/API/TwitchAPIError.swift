/// A failed call to Twitch's OAuth or Helix API, with Twitch's status and message.
public struct TwitchAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, as the daemon acts on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unauthorized
            case forbidden
            case badRequest = "bad_request"
            case invalidGrant = "invalid_grant"
            case notAffiliate = "not_affiliate"
            case notFound = "not_found"
            case conflict
            case rateLimited = "rate_limited"
            case unavailable
            case transport
            case malformed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// 401: the token is invalid, expired or lacks a scope; refresh, then re-authorise.
        public static var unauthorized: Self { .init(.unauthorized) }
        /// 403: not allowed (missing scope, or the broadcaster is neither affiliate nor partner).
        public static var forbidden: Self { .init(.forbidden) }
        /// 400: Twitch refused the request; not retried (API-P2).
        public static var badRequest: Self { .init(.badRequest) }
        /// 400 on a refresh or code exchange: the grant is gone; the user must connect again (API-O1).
        public static var invalidGrant: Self { .init(.invalidGrant) }
        /// The broadcaster is neither affiliate nor partner (API-P3); permanent.
        public static var notAffiliate: Self { .init(.notAffiliate) }
        /// 404.
        public static var notFound: Self { .init(.notFound) }
        /// 409: already exists (API-E1).
        public static var conflict: Self { .init(.conflict) }
        /// 429 after waiting for the bucket (API-R1).
        public static var rateLimited: Self { .init(.rateLimited) }
        /// 5xx after the retry (API-R1).
        public static var unavailable: Self { .init(.unavailable) }
        /// No answer: connection refused, reset or timed out.
        public static var transport: Self { .init(.transport) }
        /// An answer that is not what the API documents.
        public static var malformed: Self { .init(.malformed) }

        /// The code as text, e.g. `unauthorized`.
        public var description: String { self.base.rawValue }
    }

    /// What kind of failure.
    public let code: Code
    /// The HTTP status, when there was an answer.
    public let status: Int?
    /// Twitch's `message`, or what went wrong; never a token.
    public let message: String

    /// Creates the error.
    public init(_ code: Code, status: Int?, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    /// `code (status): message`.
    public var description: String {
        "\(self.code)\(self.status.map { " (\($0))" } ?? ""): \(self.message)"
    }

    /// Whether retrying the same call later cannot help.
    public var isPermanent: Bool {
        [.badRequest, .invalidGrant, .notAffiliate, .forbidden, .notFound, .malformed].contains(self.code)
    }
}
