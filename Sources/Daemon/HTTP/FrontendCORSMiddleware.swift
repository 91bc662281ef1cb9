public import Hummingbird

/// Lets the GM's web frontend (`FRONTEND_URL`) call the GM API from its own origin, and no other origin.
///
/// Only `/api/v1` is shared: a request from that origin gets `Access-Control-Allow-Origin` on every answer,
/// errors included, and its preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered `204` with the
/// methods and headers the API takes. Nothing is shared with other origins, and without `FRONTEND_URL` the
/// middleware is not installed. Credentials are not allowed: the API key travels in `Authorization`, never in a
/// cookie. It sits outside ``ErrorMiddleware`` so error answers carry the headers too.
public struct FrontendCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The one origin allowed, `scheme://host[:port]` as browsers send it.
    let origin: String

    /// The headers a browser may send cross-origin.
    static var allowedHeaders: String { "Authorization, Content-Type, Idempotency-Key, Last-Event-ID" }
    /// The methods of the GM API.
    static var allowedMethods: String { "GET, POST, DELETE" }
    /// The response headers a frontend may read besides the simple ones.
    static var exposedHeaders: String { "Retry-After, Idempotent-Replayed, Location" }

    /// Creates the middleware for the origin of `frontendURL` (its path, if any, is not part of an origin).
    public init(frontendURL: String) {
        self.origin = Self.origin(of: frontendURL)
    }

    /// `scheme://host[:port]` of `url`, lower-cased and without a default port, as an `Origin` header carries it.
    static func origin(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url.lowercased() }
        let rest = url[scheme.upperBound...]
        var origin = (url[..<scheme.upperBound] + rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }).lowercased()
        for defaultPort in ["https://": ":443", "http://": ":80"] where origin.hasPrefix(defaultPort.key) && origin.hasSuffix(defaultPort.value) {
            origin.removeLast(defaultPort.value.count)
        }
        return origin
    }

    /// Answers the frontend's preflights and marks the API's answers to it as shareable.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/api/v1" || request.uri.path.hasPrefix("/api/v1/") else {
            return try await next(request, context)
        }
        guard let origin = request.headers[.origin], origin.lowercased() == self.origin else {
            var response = try await self.answer(request, context: context, next: next)
            response.headers[values: .vary].append("Origin")
            return response
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: origin,
                    .accessControlAllowMethods: Self.allowedMethods,
                    .accessControlAllowHeaders: Self.allowedHeaders,
                    .accessControlMaxAge: "600",
                    .vary: "Origin",
                ]
            )
        }
        var response = try await self.answer(request, context: context, next: next)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        response.headers[values: .vary].append("Origin")
        return response
    }

    /// The rest of the chain's answer, with a thrown HTTP error turned into its response so headers can be added.
    private func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}
