import Crypto
import Foundation
import PostgresNIO
public import Storage
import Synchronization

/// Authenticates API keys against PostgreSQL, and keeps answering for keys it validated recently while
/// PostgreSQL is unreachable, so a GM can still watch and end a poll through a database outage.
///
/// Every request still asks PostgreSQL first: a revocation takes effect at once whenever PostgreSQL answers.
/// Only on a connection failure is a key accepted from memory, and only if it was valid less than `staleLimit` ago.
/// Keys are remembered by their SHA-256, never in clear.
public final class OutageTolerantAPIKeys: APIKeyAuthenticating {
    private let base: any APIKeyAuthenticating
    private let staleLimit: Duration
    private let timeout: Duration
    private let remembered = Mutex([Data: (record: APIKeyRecord, at: ContinuousClock.Instant)]())

    /// Creates the authenticator.
    /// - Parameters:
    ///   - base: The authoritative check (the `api_keys` table).
    ///   - staleLimit: How long after its last successful check a key is still accepted during an outage.
    ///   - timeout: How long PostgreSQL may take to answer before it counts as unreachable.
    public init(base: any APIKeyAuthenticating, staleLimit: Duration = .seconds(600), timeout: Duration = .seconds(2)) {
        self.base = base
        self.staleLimit = staleLimit
        self.timeout = timeout
    }

    /// Checks the key with PostgreSQL, or from memory while PostgreSQL is unreachable.
    public func authenticate(key: String) async throws -> APIKeyAuthentication {
        let hash = Data(SHA256.hash(data: Data(key.utf8)))
        do {
            let base = self.base
            let result = try await withTimeout(self.timeout, "API key check") { try await base.authenticate(key: key) }
            self.remembered.withLock { remembered in
                if case .valid(let record) = result {
                    if remembered.count > 10_000 { remembered.removeAll() }
                    remembered[hash] = (record, .now)
                } else {
                    remembered[hash] = nil
                }
            }
            return result
        } catch let error where isDatabaseOutage(error) {
            let now = ContinuousClock.now
            let fresh = self.remembered.withLock { remembered -> APIKeyRecord? in
                guard let entry = remembered[hash], now - entry.at < self.staleLimit else { return nil }
                return entry.record
            }
            guard let record = fresh else { throw error }
            return .valid(record)
        }
    }
}
