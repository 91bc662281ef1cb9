public import Storage

/// Checks a presented API key; PostgreSQL in the daemon, an in-memory fake in router tests.
public protocol APIKeyAuthenticating: Sendable {
    /// Whether `key` is a valid, revoked or unknown API key.
    func authenticate(key: String) async throws -> APIKeyAuthentication
}

extension APIKeyStore: APIKeyAuthenticating {}
