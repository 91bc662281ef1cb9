#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `{subscription, event}` payload of a notification, the same over WebSocket and webhook (ES-15).
public struct EventSubNotification: Sendable, Hashable {
    /// The subscription that fired.
    public var subscription: EventSubSubscription
    /// The event, typed for poll subscriptions.
    public var event: EventSubEvent

    /// Creates a notification.
    public init(subscription: EventSubSubscription, event: EventSubEvent) {
        self.subscription = subscription
        self.event = event
    }

    /// Decodes a webhook notification body (WH-1).
    /// - Throws: ``EventSubDecodingError`` when it is not one.
    public init(json body: [UInt8]) throws(EventSubDecodingError) {
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch {
            throw EventSubDecodingError(.malformed, "not an EventSub notification body: \(EventSubMessage.reason(error))")
        }
        self.init(subscription: decoded.subscription, event: decoded.event)
    }

    /// A decodable `{subscription, event}` object whose event is typed by the subscription's type.
    struct Body: Decodable {
        let subscription: EventSubSubscription
        let event: EventSubEvent

        enum CodingKeys: String, CodingKey {
            case subscription, event
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.subscription = try container.decode(EventSubSubscription.self, forKey: .subscription)
            self.event = try Self.event(of: self.subscription.type, in: container)
        }

        static func event(of type: String, in container: KeyedDecodingContainer<CodingKeys>) throws -> EventSubEvent {
            switch type {
            case "channel.poll.begin": .pollBegin(try container.decode(PollEvent.self, forKey: .event))
            case "channel.poll.progress": .pollProgress(try container.decode(PollEvent.self, forKey: .event))
            case "channel.poll.end": .pollEnd(try container.decode(PollEvent.self, forKey: .event))
            default: .other(type: type)
            }
        }
    }
}
