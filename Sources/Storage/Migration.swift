/// One versioned step of the PostgreSQL schema.
///
/// A migration is a list of SQL statements run in one transaction. Statements are static text
/// from this module, never built from input; values always go through bound parameters.
public struct Migration: Sendable {
    /// Strictly increasing version; recorded in `schema_migrations.version`.
    public let version: Int
    /// Short name, recorded beside the version.
    public let name: String
    /// Statements run in order inside one transaction.
    public let statements: [String]

    /// Creates a migration.
    /// - Parameters:
    ///   - version: Strictly increasing version number.
    ///   - name: Short name for humans.
    ///   - statements: SQL statements, one per element (PostgreSQL's extended protocol runs one at a time).
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// A stable fingerprint of the statements, so a migration edited after it was applied is noticed.
    public var checksum: String {
        // FNV-1a 64 over the UTF-8 of the statements, each followed by a unit separator: stable across runs and platforms.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for statement in self.statements {
            for byte in statement.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0x1f
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
