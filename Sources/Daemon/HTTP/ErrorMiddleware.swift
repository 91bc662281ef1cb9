import Core
import Foundation
public import Hummingbird
import Logging
import PostgresNIO
import Redis
import Storage

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
        } catch let error as PollValidationError {
            throw APIError.validation(error.fields)
        } catch let conflict as PollConflict {
            let poll = conflict.pollID.uuidString.lowercased()
            let names = conflict.channels.map(\.value).joined(separator: ", ")
            throw APIError(
                .conflict,
                code: "channel_busy",
                message: "Already in running poll \(poll): \(names).",
                fields: Dictionary(uniqueKeysWithValues: conflict.channels.map { ("channels.\($0.value)", "already in running poll \(poll)") })
            )
        } catch let error as PollCoordinatorError {
            switch error.code {
            case .notFound: throw APIError.notFound("No poll has this id.")
            case .notRunning: throw APIError(.conflict, code: "poll_not_running", message: "This poll has already ended or been cancelled.")
            default: throw APIError.serviceUnavailable
            }
        } catch let error as StorageError where error.code == .idempotencyKeyReused {
            throw APIError(
                .conflict,
                code: "idempotency_key_reused",
                message: "This Idempotency-Key was already used for a different poll request."
            )
        } catch let error as RedisError {
            context.logger.warning("request failed: Redis unavailable", metadata: ["redis.error": "\(error)"])
            throw APIError.serviceUnavailable
        } catch let error where isDatabaseOutage(error) {
            context.logger.warning("request failed: PostgreSQL unavailable", metadata: ["db.error": "\(String(reflecting: error))"])
            throw APIError.serviceUnavailable
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
