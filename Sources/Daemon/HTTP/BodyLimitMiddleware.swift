public import Hummingbird

/// Rejects request bodies over ``AppRequestContext/maxBodySize`` with 413 before any route reads them.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    private let limit: Int

    /// Creates the middleware with the given limit in bytes.
    public init(limit: Int = AppRequestContext.maxBodySize) {
        self.limit = limit
    }

    /// Checks `Content-Length`, then buffers at most `limit` bytes of the body.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > self.limit {
            throw APIError.bodyTooLarge
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: self.limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge
        }
        return try await next(request, context)
    }
}
