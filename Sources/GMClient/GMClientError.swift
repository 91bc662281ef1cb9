/// Why a GM command failed: a stable code, a message for people, and what is needed to print it and pick the exit status.
public struct GMClientError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure happened.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case usage
            case unreachable
            case rejected
            case invalidResponse = "invalid_response"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The command line or the environment is wrong (bad `--url`, no API key): exit 64.
        public static var usage: Self { .init(.usage) }
        /// The daemon could not be reached at all: exit 69.
        public static var unreachable: Self { .init(.unreachable) }
        /// The daemon answered with a non-2xx status: exit 77 for 401/403, else 1.
        public static var rejected: Self { .init(.rejected) }
        /// The daemon answered 2xx with a body this client cannot read: exit 1.
        public static var invalidResponse: Self { .init(.invalidResponse) }

        /// The code as text, e.g. `unreachable`.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A one-line explanation (the API's own message for a rejected request).
    public let message: String
    /// The HTTP status of a rejected request.
    public let status: Int?
    /// The decoded API error body of a rejected request, when it had one.
    public let apiError: APIErrorBody.Detail?
    /// The raw body of a rejected request, printed as-is under `--json`.
    public let body: String?
    /// The `Retry-After` header of a 429 answer.
    public let retryAfter: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: the one-line explanation.
    ///   - status: the HTTP status, for a rejected request.
    ///   - apiError: the decoded error body, when there was one.
    ///   - body: the raw response body.
    ///   - retryAfter: the `Retry-After` header value.
    public init(
        _ code: Code,
        _ message: String,
        status: Int? = nil,
        apiError: APIErrorBody.Detail? = nil,
        body: String? = nil,
        retryAfter: String? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.apiError = apiError
        self.body = body
        self.retryAfter = retryAfter
    }

    /// The process exit status for this error (see ``GMExitCode``).
    public var exitCode: Int32 {
        switch self.code {
        case .usage: GMExitCode.usage
        case .unreachable: GMExitCode.unavailable
        case .rejected: GMExitCode.forStatus(self.status ?? 500)
        default: GMExitCode.failure
        }
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }
}
