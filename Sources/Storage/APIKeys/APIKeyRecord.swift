public import Foundation

/// An API key as stored: who it is and when it was used or revoked; never the key itself.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    /// The key's id.
    public let id: UUID
    /// The name given at creation (not unique).
    public let name: String
    /// When the key was created.
    public let createdAt: Date
    /// When the key last authenticated a request, to within a minute; nil if never used.
    public let lastUsedAt: Date?
    /// When the key was revoked; nil while it is valid.
    public let revokedAt: Date?

    /// Creates a record.
    /// - Parameters:
    ///   - id: The key's id.
    ///   - name: Its name.
    ///   - createdAt: When it was created.
    ///   - lastUsedAt: When it last authenticated a request.
    ///   - revokedAt: When it was revoked.
    public init(id: UUID, name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key has been revoked.
    public var isRevoked: Bool { self.revokedAt != nil }
}
