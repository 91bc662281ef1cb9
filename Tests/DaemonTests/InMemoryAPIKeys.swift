import Daemon
import Foundation
import Storage
import Synchronization

/// An in-memory ``APIKeyAuthenticating`` for router tests: keys in clear, mapped to their records.
final class InMemoryAPIKeys: APIKeyAuthenticating {
    private let keys: Mutex<[String: APIKeyRecord]>

    init(_ keys: [String: APIKeyRecord] = [:]) {
        self.keys = Mutex(keys)
    }

    func authenticate(key: String) async throws -> APIKeyAuthentication {
        guard let record = self.keys.withLock({ $0[key] }) else { return .unknown }
        return record.isRevoked ? .revoked(record) : .valid(record)
    }
}
