import Foundation
public import Hummingbird
import Logging
import Storage

/// Requires `Authorization: Bearer <api key>` on the GM API: 401 when missing, malformed or unknown, 403 when revoked.
///
/// On success the key's record goes into ``AppRequestContext/apiKey`` and its id into the logger as `api.key_id`;
/// the key itself is never logged.
public struct APIKeyMiddleware: RouterMiddleware {
    /// The context this middleware fills in.
    public typealias Context = AppRequestContext

    /// The logger metadata key of the calling key's id.
    public static let keyIDMetadataKey = "api.key_id"

    private let authenticator: any APIKeyAuthenticating

    /// Creates the middleware.
    /// - Parameter authenticator: Checks the presented keys.
    public init(authenticator: any APIKeyAuthenticating) {
        self.authenticator = authenticator
    }

    /// Authenticates the request, then runs the rest of the chain with the key in the context.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("This route needs `Authorization: Bearer <api key>`.")
        }
        guard let key = Self.bearerToken(header) else {
            throw APIError.unauthorized("The Authorization header must be `Bearer <api key>`.")
        }
        switch try await self.authenticator.authenticate(key: key) {
        case .unknown:
            throw APIError.unauthorized("The API key is not valid.")
        case .revoked(let record):
            context.logger.debug("revoked api key presented", metadata: [Self.keyIDMetadataKey: "\(record.id.uuidString.lowercased())"])
            throw APIError.apiKeyRevoked
        case .valid(let record):
            var context = context
            context.apiKey = record
            context.logger[metadataKey: Self.keyIDMetadataKey] = "\(record.id.uuidString.lowercased())"
            return try await next(request, context)
        }
    }

    /// The token of a `Bearer <token>` header (scheme case-insensitive); nil for any other shape.
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }
}
