import Foundation
public import Hummingbird
import Storage

/// The GM API under `/api/v1`, behind ``APIKeyMiddleware``: `whoami`, and the channel and poll routes when their
/// dependencies are given.
public struct APIRoutes: Sendable {
    private let authenticator: any APIKeyAuthenticating
    private let gm: GMDependencies?

    /// Creates the routes.
    /// - Parameters:
    ///   - authenticator: Checks the API keys of every request.
    ///   - gm: The channel and poll routes' dependencies, if served.
    public init(authenticator: any APIKeyAuthenticating, gm: GMDependencies? = nil) {
        self.authenticator = authenticator
        self.gm = gm
    }

    /// Registers the `/api/v1` group on `router`.
    public func register(on router: Router<AppRequestContext>) {
        let api = router.group("/api/v1").add(middleware: APIKeyMiddleware(authenticator: self.authenticator))
        if let gm = self.gm { GMRoutes(dependencies: gm).register(on: api) }
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
