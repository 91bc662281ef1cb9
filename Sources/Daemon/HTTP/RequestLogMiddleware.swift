import Foundation
public import Hummingbird
import Logging

/// Logs one line per request with its route pattern (never the raw path, which may carry tokens), status and duration.
///
/// Probe routes (`/health…`, `/metrics`) log at debug so orchestrators do not flood the log; the rest at info.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Times the rest of the chain and logs its outcome.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            self.log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let level: Logger.Level = route.hasPrefix("/health") || route == "/metrics" ? .debug : .info
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: level,
            "request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.route": "\(route)",
                "http.status": "\(status)",
                "http.duration_ms": "\(String(format: "%.2f", milliseconds))",
            ]
        )
    }
}
