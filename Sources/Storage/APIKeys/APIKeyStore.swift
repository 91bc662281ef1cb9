import Core
import Foundation
public import Logging
public import PostgresNIO

/// The `api_keys` table: creates keys (storing only their SHA-256), lists, revokes and authenticates them.
public struct APIKeyStore: Sendable {
    /// The longest key name the table accepts.
    public static let maximumNameLength = 100

    private let client: PostgresClient
    private let logger: Logger
    private let lastUsedInterval: Duration

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running PostgreSQL client whose schema is migrated.
    ///   - logger: The logger for the queries.
    ///   - lastUsedInterval: How stale `last_used_at` may get before a request bumps it (at most one write per key per interval).
    public init(client: PostgresClient, logger: Logger, lastUsedInterval: Duration = .seconds(60)) {
        self.client = client
        self.logger = logger
        self.lastUsedInterval = lastUsedInterval
    }

    /// Creates a key named `name` and returns it in clear, once; only its hash is stored.
    /// - Throws: ``StorageError`` `invalid_api_key_name` for an empty or over-long name; PostgreSQL errors otherwise.
    public func create(name: String) async throws -> CreatedAPIKey {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maximumNameLength).contains(name.count) else {
            throw StorageError(.invalidAPIKeyName, "an API key name must be 1 to \(Self.maximumNameLength) characters")
        }
        let key = APIKeySecret.generate()
        let hash = Data(APIKeySecret.hash(key))
        let rows = try await self.client.query(
            """
            INSERT INTO api_keys (name, key_hash) VALUES (\(name), \(hash))
            RETURNING id, name, created_at, last_used_at, revoked_at
            """,
            logger: self.logger
        )
        guard let record = try await Self.records(rows).first else {
            preconditionFailure("INSERT … RETURNING returned no row")
        }
        return CreatedAPIKey(record: record, key: key)
    }

    /// Every key, oldest first.
    public func list() async throws -> [APIKeyRecord] {
        let rows = try await self.client.query(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, id",
            logger: self.logger
        )
        return try await Self.records(rows)
    }

    /// Revokes the key with this id, or else with this name; revoking a revoked key keeps its first `revoked_at`.
    ///
    /// A name matches its one unrevoked key (or, when all are revoked, the latest one).
    /// - Throws: ``StorageError`` `api_key_not_found` when nothing matches, `api_key_name_ambiguous` when
    ///   several unrevoked keys have that name.
    @discardableResult
    public func revoke(idOrName: String) async throws -> APIKeyRecord {
        let id = try await self.resolve(idOrName)
        let rows = try await self.client.query(
            """
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = \(id)
            RETURNING id, name, created_at, last_used_at, revoked_at
            """,
            logger: self.logger
        )
        guard let record = try await Self.records(rows).first else {
            throw StorageError(.apiKeyNotFound, "no API key has the id or name \(idOrName)")
        }
        self.logger.info("api key revoked", metadata: ["api.key_id": "\(record.id.uuidString.lowercased())"])
        return record
    }

    /// Looks a presented key up by its SHA-256 and, when valid, records its use (at most once per interval).
    public func authenticate(key: String) async throws -> APIKeyAuthentication {
        guard APIKeySecret.isWellFormed(key) else { return .unknown }
        let hash = APIKeySecret.hash(key)
        let rows = try await self.client.query(
            "SELECT id, name, created_at, last_used_at, revoked_at, key_hash FROM api_keys WHERE key_hash = \(Data(hash))",
            logger: self.logger
        )
        var found: APIKeyRecord?
        for try await (id, name, createdAt, lastUsedAt, revokedAt, storedHash) in rows.decode((UUID, String, Date, Date?, Date?, Data).self) {
            // The index lookup already matched; the constant-time compare guards against any collation surprise.
            if ConstantTime.equals(storedHash, hash) {
                found = APIKeyRecord(id: id, name: name, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
            }
        }
        guard let record = found else { return .unknown }
        if record.isRevoked { return .revoked(record) }
        let interval = Double(self.lastUsedInterval.components.seconds) + Double(self.lastUsedInterval.components.attoseconds) / 1e18
        if let lastUsedAt = record.lastUsedAt, Date().timeIntervalSince(lastUsedAt) < interval {
            return .valid(record)
        }
        // The condition repeats the check on the database clock, so several daemons still write once per interval.
        try await self.client.query(
            """
            UPDATE api_keys SET last_used_at = now()
            WHERE id = \(record.id) AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => \(interval)))
            """,
            logger: self.logger
        )
        return .valid(record)
    }

    /// The id of the key named by `idOrName`.
    private func resolve(_ idOrName: String) async throws -> UUID {
        if let id = UUID(uuidString: idOrName) {
            let rows = try await self.client.query("SELECT id FROM api_keys WHERE id = \(id)", logger: self.logger)
            for try await found in rows.decode(UUID.self) { return found }
        }
        let rows = try await self.client.query(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_keys WHERE name = \(idOrName) ORDER BY revoked_at DESC NULLS FIRST",
            logger: self.logger
        )
        let matches = try await Self.records(rows)
        let active = matches.filter { !$0.isRevoked }
        if active.count > 1 {
            throw StorageError(.apiKeyNameAmbiguous, "\(active.count) API keys are named \(idOrName); revoke one by its id")
        }
        guard let match = active.first ?? matches.max(by: { ($0.revokedAt ?? .distantPast) < ($1.revokedAt ?? .distantPast) }) else {
            throw StorageError(.apiKeyNotFound, "no API key has the id or name \(idOrName)")
        }
        return match.id
    }

    private static func records(_ rows: PostgresRowSequence) async throws -> [APIKeyRecord] {
        var records: [APIKeyRecord] = []
        for try await (id, name, createdAt, lastUsedAt, revokedAt) in rows.decode((UUID, String, Date, Date?, Date?).self) {
            records.append(APIKeyRecord(id: id, name: name, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt))
        }
        return records
    }
}
