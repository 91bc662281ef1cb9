/// A failed call to Twitch's OAuth or Helix API, with Twitch's status and message.
public struct TwitchAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, as the daemon acts on it.
    public enum Code: String, Sendable {
        /// 401: the token is invalid, expired or lacks a scope; refresh, then re-authorise.
        case unauthorized
        /// 403: not allowed (missing scope, or the broadcaster is neither affiliate nor partner).
        case forbidden
        /// 400: Twitch refused the request; not retried (API-P2).
        case badRequest = "bad_request"
        /// 400 on a refresh or code exchange: the grant is gone; the user must connect again (API-O1).
        case invalidGrant = "invalid_grant"
        /// The broadcaster is neither affiliate nor partner (API-P3); permanent.
        case notAffiliate = "not_affiliate"
        /// 404.
        case notFound = "not_found"
        /// 409: already exists (API-E1).
        case conflict
        /// 429 after waiting for the bucket (API-R1).
        case rateLimited = "rate_limited"
        /// 5xx after the retry (API-R1).
        case unavailable
        /// No answer: connection refused, reset or timed out.
        case transport
        /// An answer that is not what the API documents.
        case malformed
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
        "\(self.code.rawValue)\(self.status.map { " (\($0))" } ?? ""): \(self.message)"
    }

    /// Whether retrying the same call later cannot help.
    public var isPermanent: Bool {
        switch self.code {
        case .badRequest, .invalidGrant, .notAffiliate, .forbidden, .notFound, .malformed: true
        case .unauthorized, .conflict, .rateLimited, .unavailable, .transport: false
        }
    }
}
