/// The outcome of presenting an API key.
public enum APIKeyAuthentication: Sendable, Hashable {
    /// A known, unrevoked key.
    case valid(APIKeyRecord)
    /// A known key that has been revoked.
    case revoked(APIKeyRecord)
    /// No key has that value.
    case unknown
}
