/// An error of the storage layer, with a stable code and a message for operators.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// What kind of storage failure happened.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case migrationChanged = "migration_changed"
            case unknownMigration = "unknown_migration"
            case databaseUnavailable = "database_unavailable"
            case invalidAPIKeyName = "invalid_api_key_name"
            case apiKeyNotFound = "api_key_not_found"
            case apiKeyNameAmbiguous = "api_key_name_ambiguous"
            case idempotencyKeyReused = "idempotency_key_reused"
            case invalidCursor = "invalid_cursor"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An applied migration's statements differ from the ones in this build.
        public static var migrationChanged: Self { .init(.migrationChanged) }
        /// The database holds a migration this build does not know (a newer build ran against it).
        public static var unknownMigration: Self { .init(.unknownMigration) }
        /// PostgreSQL could not be reached or answered with an error.
        public static var databaseUnavailable: Self { .init(.databaseUnavailable) }
        /// An API key name is empty or longer than the table allows.
        public static var invalidAPIKeyName: Self { .init(.invalidAPIKeyName) }
        /// No API key has the given id or name.
        public static var apiKeyNotFound: Self { .init(.apiKeyNotFound) }
        /// Several unrevoked API keys have the given name; an id is needed.
        public static var apiKeyNameAmbiguous: Self { .init(.apiKeyNameAmbiguous) }

        /// An idempotency key was sent again with a different request.
        public static var idempotencyKeyReused: Self { .init(.idempotencyKeyReused) }

        /// A history cursor was not made by this API.
        public static var invalidCursor: Self { .init(.invalidCursor) }

        /// The code as text, e.g. `migration_changed`.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A one-line explanation for the operator.
    public let message: String

    /// Creates a storage error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }
}
