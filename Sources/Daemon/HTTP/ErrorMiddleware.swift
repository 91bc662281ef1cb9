public import Hummingbird
import Logging

/// Turns every error a route throws into the JSON error body; unexpected errors are logged and answered 500.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain and maps its error, if any.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            throw Self.apiError(status: error.status)
        } catch is CancellationError {
            throw APIError(.serviceUnavailable, code: "shutting_down", message: "The server is shutting down.")
        } catch {
            context.logger.error("request failed", metadata: ["http.error": "\(String(reflecting: error))"])
            throw APIError.internalError
        }
    }

    /// The JSON error for a status raised by the framework (unknown route, wrong method, body too large…).
    static func apiError(status: HTTPResponse.Status) -> APIError {
        switch status {
        case .notFound: return .notFound()
        case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", message: "This route does not take that method.")
        case .contentTooLarge: return .bodyTooLarge
        case .badRequest: return APIError(.badRequest, code: "bad_request", message: "The request could not be read.")
        default:
            let code = status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_")
            return APIError(status, code: code.isEmpty ? "http_\(status.code)" : code, message: status.reasonPhrase)
        }
    }
}
