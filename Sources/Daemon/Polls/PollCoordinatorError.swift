public import Foundation

/// Why a poll command was refused.
public struct PollCoordinatorError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notFound = "not_found"
            case notRunning = "poll_not_running"
            case finalisationPending = "finalisation_pending"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No poll has this id.
        public static var notFound: Self { .init(.notFound) }
        /// The poll already ended or was cancelled.
        public static var notRunning: Self { .init(.notRunning) }
        /// The result could not be written yet (PostgreSQL or Redis away); it keeps retrying.
        public static var finalisationPending: Self { .init(.finalisationPending) }

        /// The code as text.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The poll concerned.
    public let pollID: UUID

    /// Creates the error.
    public init(_ code: Code, pollID: UUID) {
        self.code = code
        self.pollID = pollID
    }

    /// `code (poll id)`.
    public var description: String { "\(self.code) (\(self.pollID.uuidString.lowercased()))" }
}
