public import Foundation

/// A freshly created API key: its record and the key text, which is shown once and never stored.
public struct CreatedAPIKey: Sendable {
    /// The stored record.
    public let record: APIKeyRecord
    /// The key in clear (`tml_…`); only its SHA-256 is kept.
    public let key: String

    /// The key's id.
    public var id: UUID { self.record.id }
}
