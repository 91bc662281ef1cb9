#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One frame of an EventSub WebSocket session (ES-15): its metadata and what it carries.
public struct EventSubMessage: Sendable, Hashable {
    /// `metadata` of every frame.
    public struct Metadata: Sendable, Hashable {
        /// The id to de-duplicate on; opaque, not a UUID (ES-13).
        public var messageID: String
        /// `session_welcome`, `session_keepalive`, `notification`, `session_reconnect`, `revocation`, or unknown.
        public var messageType: String
        /// When Twitch sent it (ES-14), for the 10-minute replay guard (ES-13).
        public var messageTimestamp: TwitchTimestamp

        /// Creates metadata.
        public init(messageID: String, messageType: String, messageTimestamp: TwitchTimestamp) {
            self.messageID = messageID
            self.messageType = messageType
            self.messageTimestamp = messageTimestamp
        }
    }

    /// What a frame carries.
    public enum Kind: Sendable, Hashable {
        /// `session_welcome`: subscribe with this session's id within its keepalive timeout (ES-2, ES-3).
        case welcome(EventSubSession)
        /// `session_keepalive`: the connection is alive (ES-5).
        case keepalive
        /// `session_reconnect`: connect to `reconnectURL` as is, keep this socket until the new welcome (ES-6).
        case reconnect(EventSubSession)
        /// `notification` (ES-15).
        case notification(EventSubNotification)
        /// `revocation`: the subscription is gone for good (ES-8).
        case revocation(EventSubSubscription)
        /// A message type this version does not know; ignored (ES-15).
        case unknown(type: String)
    }

    /// The frame's metadata.
    public var metadata: Metadata
    /// What it carries.
    public var kind: Kind

    /// Creates a message.
    public init(metadata: Metadata, kind: Kind) {
        self.metadata = metadata
        self.kind = kind
    }

    /// Decodes a text frame.
    /// - Throws: ``EventSubDecodingError`` for anything that is not an EventSub frame; unknown fields and unknown
    ///   message types are not errors.
    public init(json frame: [UInt8]) throws(EventSubDecodingError) {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(frame))
        } catch let error as EventSubDecodingError {
            throw error
        } catch {
            throw EventSubDecodingError(.malformed, "not an EventSub frame: \(Self.reason(error))")
        }
        self.init(metadata: envelope.metadata, kind: envelope.kind)
    }

    /// A short reason for a decoding failure, naming the path but never the payload's values.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "invalid JSON" : "invalid value at \(path(context))"
        @unknown default: return "invalid JSON"
        }
    }

    /// The frame as JSON: `{metadata, payload}`.
    private struct Envelope: Decodable {
        let metadata: Metadata
        let kind: Kind

        private enum CodingKeys: String, CodingKey {
            case metadata, payload
        }

        private enum MetadataKeys: String, CodingKey {
            case messageID = "message_id"
            case messageType = "message_type"
            case messageTimestamp = "message_timestamp"
        }

        private enum PayloadKeys: String, CodingKey {
            case session, subscription
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let metadata = try container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
            let timestampText = try metadata.decode(String.self, forKey: .messageTimestamp)
            guard let timestamp = TwitchTimestamp(rfc3339: timestampText) else {
                throw EventSubDecodingError(.badTimestamp, "message_timestamp is not an RFC 3339 timestamp")
            }
            self.metadata = Metadata(
                messageID: try metadata.decode(String.self, forKey: .messageID),
                messageType: try metadata.decode(String.self, forKey: .messageType),
                messageTimestamp: timestamp
            )
            switch self.metadata.messageType {
            case "session_welcome":
                let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
                self.kind = .welcome(try payload.decode(EventSubSession.self, forKey: .session))
            case "session_keepalive":
                self.kind = .keepalive
            case "session_reconnect":
                let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
                self.kind = .reconnect(try payload.decode(EventSubSession.self, forKey: .session))
            case "notification":
                self.kind = .notification(try container.decode(NotificationPayload.self, forKey: .payload).notification)
            case "revocation":
                let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
                self.kind = .revocation(try payload.decode(EventSubSubscription.self, forKey: .subscription))
            default:
                self.kind = .unknown(type: self.metadata.messageType)
            }
        }
    }

    /// A notification's payload, decoded through ``EventSubNotification/Body``.
    private struct NotificationPayload: Decodable {
        let notification: EventSubNotification

        init(from decoder: any Decoder) throws {
            let body = try EventSubNotification.Body(from: decoder)
            self.notification = EventSubNotification(subscription: body.subscription, event: body.event)
        }
    }
}
