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
    /// What the route needs; nil unless the webhook transport is configured.
    let dependencies: EventSubWebhookDependencies?

    /// Adds the route.
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
            context.logger.warning("EventSub webhook delivery refused", metadata: ["eventsub.refusal": "\(error.code)"])
            throw APIError(.forbidden, code: "webhook_\(error.code)", message: "The delivery is not signed by Twitch or is too old.")
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
        let seenKey = Self.seenKey(verified.messageID, prefix: dependencies.prefix)
        guard try await self.firstDelivery(seenKey, dependencies: dependencies, logger: context.logger) else {
            return Response(status: .noContent)
        }
        switch verified.messageType {
        case "notification":
            let notification: EventSubNotification
            do {
                notification = try EventSubNotification(json: body)
            } catch {
                context.logger.warning("EventSub webhook notification skipped", metadata: ["eventsub.error": "\(error)"])
                return Response(status: .noContent)
            }
            guard await dependencies.native.receive(notification) else {
                // Not stored: forget the id and let Twitch deliver it again (WH-4 retries on a failed response).
                _ = try? await dependencies.redis.execute(RedisCommand("DEL", seenKey))
                throw APIError(.serviceUnavailable, code: "unavailable", message: "The delivery could not be stored; send it again.")
            }
        case "revocation":
            context.logger.warning("EventSub webhook subscription revoked")
            dependencies.native.channelsChanged()
        default:
            break
        }
        return Response(status: .noContent)
    }

    /// The Redis key recording a message id (hashed: ids are Twitch's, of any length).
    private static func seenKey(_ messageID: String, prefix: String) -> String {
        "\(prefix):eventsub:seen:" + SHA256.hash(data: Array(messageID.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether no instance has seen this message id in the last 11 minutes (ES-13, WH-4). With Redis away the
    /// delivery is processed anyway: poll counts only ever take Twitch's larger totals, so a repeat changes nothing.
    private func firstDelivery(_ key: String, dependencies: EventSubWebhookDependencies, logger: Logger) async throws -> Bool {
        do {
            let reply = try await dependencies.redis.execute(RedisCommand("SET", key, "1", "NX", "EX", "660"))
            return reply.string == "OK"
        } catch {
            logger.warning("EventSub replay guard unavailable; processing the delivery", metadata: ["eventsub.error": "\(error)"])
            return true
        }
    }
}
