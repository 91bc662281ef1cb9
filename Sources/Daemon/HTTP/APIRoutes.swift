import Foundation
public import Hummingbird
import Storage

/// The GM API under `/api/v1`, behind ``APIKeyMiddleware``; so far only `GET /api/v1/whoami`.
public struct APIRoutes: Sendable {
    private let authenticator: any APIKeyAuthenticating

    /// Creates the routes.
    /// - Parameter authenticator: Checks the API keys of every request.
    public init(authenticator: any APIKeyAuthenticating) {
        self.authenticator = authenticator
    }

    /// Registers the `/api/v1` group on `router`.
    public func register(on router: Router<AppRequestContext>) {
        let api = router.group("/api/v1").add(middleware: APIKeyMiddleware(authenticator: self.authenticator))
        api.get("/whoami") { _, context in
            guard let key = context.apiKey else {
                preconditionFailure("APIKeyMiddleware lets no request through without a key")
            }
            struct WhoAmI: Encodable {
                let id: String
                let name: String
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(WhoAmI(id: key.id.uuidString.lowercased(), name: key.name))
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
    }
}
