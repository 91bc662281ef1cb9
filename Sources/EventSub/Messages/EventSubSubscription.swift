#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A subscription as EventSub describes it in notifications, revocations and Helix answers (ES-15).
///
/// Only what the daemon uses is decoded; unknown fields are ignored.
public struct EventSubSubscription: Sendable, Hashable, Decodable {
    /// The subscription id.
    public var id: String
    /// The subscription type, e.g. `channel.poll.progress`.
    public var type: String
    /// The type's version, e.g. `1`.
    public var version: String
    /// `enabled`, or why it no longer is (`user_removed`, `authorization_revoked`, `version_removed`, … ES-8).
    public var status: String
    /// The condition's `broadcaster_user_id`, when it has one.
    public var broadcasterUserID: String?

    /// Creates a subscription.
    public init(id: String, type: String, version: String, status: String, broadcasterUserID: String? = nil) {
        self.id = id
        self.type = type
        self.version = version
        self.status = status
        self.broadcasterUserID = broadcasterUserID
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, version, status, condition
    }

    private enum ConditionKeys: String, CodingKey {
        case broadcasterUserID = "broadcaster_user_id"
    }

    /// Decodes the subscription object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.type = try container.decode(String.self, forKey: .type)
        self.version = try container.decode(String.self, forKey: .version)
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        let condition = try? container.nestedContainer(keyedBy: ConditionKeys.self, forKey: .condition)
        self.broadcasterUserID = try condition?.decodeIfPresent(String.self, forKey: .broadcasterUserID)
    }
}
