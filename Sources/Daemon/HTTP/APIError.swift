public import Foundation
public import HTTPTypes
public import Hummingbird

/// An error answered as JSON: `{"error":{"code","message","fields"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A stable machine-readable code, e.g. `not_found`.
    public let code: String
    /// A human-readable message.
    public let message: String
    /// Per-field messages for validation errors.
    public let fields: [String: String]?
    /// Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`).
    public let headers: HTTPFields

    /// Creates an API error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, fields: [String: String]? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers
    }

    /// The JSON body of this error.
    public var body: Data {
        struct Envelope: Encodable {
            struct Body: Encodable {
                let code: String
                let message: String
                let fields: [String: String]?
            }
            let error: Body
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(Envelope(error: .init(code: self.code, message: self.message, fields: self.fields)))) ?? Data()
    }

    /// Builds the JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: self.body)))
    }
}

extension APIError {
    /// 404 with code `not_found`.
    public static func notFound(_ message: String = "No such resource.") -> APIError {
        .init(.notFound, code: "not_found", message: message)
    }

    /// 413 with code `body_too_large`.
    public static var bodyTooLarge: APIError {
        .init(.contentTooLarge, code: "body_too_large", message: "The request body is larger than \(AppRequestContext.maxBodySize / 1024) KiB.")
    }

    /// 401 with code `unauthorized`.
    public static func unauthorized(_ message: String) -> APIError {
        .init(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 403 with code `api_key_revoked`.
    public static var apiKeyRevoked: APIError {
        .init(.forbidden, code: "api_key_revoked", message: "This API key has been revoked.")
    }

    /// 429 with code `rate_limited` and `Retry-After: <seconds>` (at least 1).
    public static func rateLimited(retryAfter seconds: Int, message: String = "Too many requests; try again later.") -> APIError {
        let seconds = max(1, seconds)
        return .init(.tooManyRequests, code: "rate_limited", message: message, headers: [.retryAfter: "\(seconds)"])
    }

    /// 422 with code `validation_failed` and a message per bad field.
    public static func validation(_ fields: [String: String]) -> APIError {
        let names = fields.keys.sorted().joined(separator: ", ")
        return .init(.unprocessableContent, code: "validation_failed", message: "Some fields are not valid: \(names).", fields: fields)
    }

    /// 503 with code `service_unavailable`: PostgreSQL or Redis cannot be reached; retrying later is safe.
    public static var serviceUnavailable: APIError {
        .init(
            .serviceUnavailable,
            code: "service_unavailable",
            message: "A backing service (PostgreSQL or Redis) is unreachable; try again shortly.",
            headers: [.retryAfter: "2"]
        )
    }

    /// 500 with code `internal_error`; the cause is logged, never sent.
    public static var internalError: APIError {
        .init(.internalServerError, code: "internal_error", message: "Something went wrong on our side; it has been logged.")
    }
}
