import Crypto
import EventSub
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Redis

/// What the webhook route needs; absent unless `EVENTSUB_TRANSPORT=webhook` with a Twitch application.
struct EventSubWebhookDependencies: Sendable {
    /// Checks signatures and timestamps (WH-2, ES-13).
    var webhook: EventSubWebhook
    /// Remembers message ids across instances (WH-4, ES-13).
    var redis: RedisClient
    /// Applies poll events.
    var native: NativePolls
    /// The Redis key prefix.
    var prefix = "tumulte"
}

/// `POST /eventsub/webhook`: Twitch's deliveries for the webhook transport. A delivery is believed only when its
/// HMAC over the raw body matches and its timestamp is within 10 minutes (else 403, nothing processed); a message
/// id seen before, by any instance, is acknowledged and ignored.
struct EventSubWebhookRoutes: Sendable {
    let dependencies: EventSubWebhookDependencies?

    func register(on router: Router<AppRequestContext>) {
        router.post("/eventsub/webhook") { request, context in try await self.receive(request, context) }
    }

    private func receive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let dependencies = self.dependencies else { throw APIError.notFound() }
        let buffer = try await request.body.collect(upTo: AppRequestContext.maxBodySize)
        let body = Array(buffer.readableBytesView)
        let headers = EventSubWebhook.Headers(
            messageID: request.headers[HTTPField.Name("Twitch-Eventsub-Message-Id")!],
            timestamp: request.headers[HTTPField.Name("Twitch-Eventsub-Message-Timestamp")!],
            signature: request.headers[HTTPField.Name("Twitch-Eventsub-Message-Signature")!],
            messageType: request.headers[HTTPField.Name("Twitch-Eventsub-Message-Type")!]
        )
        let verified: EventSubWebhook.Verified
        do {
            verified = try dependencies.webhook.verify(
                headers,
                body: body,
                now: TwitchTimestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
            )
        } catch {
            context.logger.warning("EventSub webhook delivery refused", metadata: ["eventsub.refusal": "\(error.code.rawValue)"])
            throw APIError(.forbidden, code: "webhook_\(error.code.rawValue)", message: "The delivery is not signed by Twitch or is too old.")
        }
        if verified.messageType == "webhook_callback_verification" {
            // WH-3: the challenge as the whole body, nothing else.
            let challenge: String
            do {
                challenge = try EventSubWebhook.challenge(in: body)
            } catch {
                throw APIError(.badRequest, code: "bad_challenge", message: "The verification body has no challenge.")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: challenge))
            )
        }
        guard try await self.firstDelivery(verified.messageID, dependencies: dependencies, logger: context.logger) else {
            return Response(status: .noContent)
        }
        switch verified.messageType {
        case "notification":
            do {
                await dependencies.native.receive(try EventSubNotification(json: body))
            } catch {
                context.logger.warning("EventSub webhook notification skipped", metadata: ["eventsub.error": "\(error)"])
            }
        case "revocation":
            context.logger.warning("EventSub webhook subscription revoked")
            dependencies.native.channelsChanged()
        default:
            break
        }
        return Response(status: .noContent)
    }

    /// Whether no instance has seen this message id in the last 11 minutes (ES-13, WH-4). With Redis away the
    /// delivery is processed anyway: poll counts only ever take Twitch's larger totals, so a repeat changes nothing.
    private func firstDelivery(_ messageID: String, dependencies: EventSubWebhookDependencies, logger: Logger) async throws -> Bool {
        let digest = SHA256.hash(data: Array(messageID.utf8)).map { String(format: "%02x", $0) }.joined()
        do {
            let reply = try await dependencies.redis.execute(
                RedisCommand("SET", "\(dependencies.prefix):eventsub:seen:\(digest)", "1", "NX", "EX", "660")
            )
            return reply.string == "OK"
        } catch {
            logger.warning("EventSub replay guard unavailable; processing the delivery", metadata: ["eventsub.error": "\(error)"])
            return true
        }
    }
}
