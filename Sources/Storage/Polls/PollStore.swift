public import Core
public import Foundation
public import Logging
public import PostgresNIO

/// The `polls` and `poll_channels` tables: poll creation (conflict and idempotency checks in one transaction),
/// reads, history pages, and the idempotent write of the final result.
public struct PollStore: Sendable {
    /// The outcome of ``create(_:)``.
    public enum Creation: Sendable, Hashable {
        /// A new poll was written.
        case created(PollRecord)
        /// The idempotency key matched an earlier identical request: its poll, unchanged.
        case replayed(PollRecord)
    }

    /// What ``create(_:)`` writes.
    public struct NewPoll: Sendable {
        /// The new poll's id.
        public var id: UUID
        /// The validated request.
        public var spec: PollSpec
        /// Each channel with the mode it votes in, in the request's order.
        public var channels: [(channel: ChannelRecord, mode: ChannelVoteMode)]
        /// When voting opens.
        public var startedAt: Date
        /// The API key starting it.
        public var createdBy: UUID?
        /// The caller's `Idempotency-Key`, if any.
        public var idempotencyKey: String?
        /// A digest of the request, to tell a retry from a different request under the same key.
        public var fingerprint: Data?

        /// Creates the description of a poll to write.
        public init(
            id: UUID,
            spec: PollSpec,
            channels: [(channel: ChannelRecord, mode: ChannelVoteMode)],
            startedAt: Date,
            createdBy: UUID?,
            idempotencyKey: String?,
            fingerprint: Data?
        ) {
            self.id = id
            self.spec = spec
            self.channels = channels
            self.startedAt = startedAt
            self.createdBy = createdBy
            self.idempotencyKey = idempotencyKey
            self.fingerprint = fingerprint
        }
    }

    /// A page of the history.
    public struct Page: Sendable {
        /// Polls, newest first.
        public let polls: [PollRecord]
        /// Where the next page starts; nil on the last page.
        public let nextCursor: String?
    }

    private let client: PostgresClient
    private let logger: Logger

    /// Creates a store.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Writes a new running poll, unless its idempotency key names an earlier one.
    ///
    /// Starts are serialised by a transaction-scoped advisory lock, so two daemons cannot both put one channel in
    /// two running polls.
    /// - Throws: ``PollConflict`` when a channel is in a running or ending poll; ``StorageError``
    ///   `idempotency_key_reused` when the key came with a different request.
    public func create(_ poll: NewPoll) async throws -> Creation {
        let logger = self.logger
        // Refusals are returned rather than thrown: PostgresNIO wraps errors thrown inside a transaction.
        enum Outcome {
            case written(UUID)
            case conflict(PollConflict)
            case keyReused
        }
        let outcome: Outcome = try await self.client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.startLock))", logger: logger)
            if let key = poll.idempotencyKey {
                let rows = try await connection.query(
                    """
                    SELECT id, idempotency_fingerprint FROM polls
                    WHERE created_by IS NOT DISTINCT FROM \(poll.createdBy) AND idempotency_key = \(key)
                    """,
                    logger: logger
                )
                for try await (id, fingerprint) in rows.decode((UUID, Data?).self) {
                    guard fingerprint == poll.fingerprint else { return .keyReused }
                    return .written(id)
                }
            }
            let channelIDs = poll.channels.map(\.channel.id)
            let busy = try await connection.query(
                """
                SELECT p.id, c.login FROM poll_channels pc
                JOIN polls p ON p.id = pc.poll_id JOIN channels c ON c.id = pc.channel_id
                WHERE p.status IN ('running', 'ending') AND pc.channel_id = ANY(\(channelIDs))
                ORDER BY p.started_at, c.login
                """,
                logger: logger
            )
            var conflict: (UUID, [ChannelLogin])?
            for try await (pollID, login) in busy.decode((UUID, String).self) {
                guard let login = ChannelLogin(login) else { continue }
                if conflict == nil { conflict = (pollID, []) }
                if conflict?.0 == pollID { conflict?.1.append(login) }
            }
            if let (pollID, logins) = conflict {
                return .conflict(PollConflict(pollID: pollID, channels: logins))
            }
            let spec = poll.spec
            let endsAt = poll.startedAt.addingTimeInterval(TimeInterval(spec.durationSeconds))
            try await connection.query(
                """
                INSERT INTO polls (id, title, options, duration_seconds, vote_rule, mode, status, started_at, ends_at,
                    created_by, idempotency_key, idempotency_fingerprint)
                VALUES (\(poll.id), \(spec.title), \(spec.options), \(spec.durationSeconds), \(spec.voteRule.rawValue),
                    \(spec.mode.rawValue), 'running', \(poll.startedAt), \(endsAt), \(poll.createdBy), \(poll.idempotencyKey),
                    \(poll.fingerprint))
                """,
                logger: logger
            )
            let modes = poll.channels.map(\.mode.rawValue)
            try await connection.query(
                """
                INSERT INTO poll_channels (poll_id, channel_id, mode, status)
                SELECT \(poll.id), channel_id, mode, 'running' FROM unnest(\(channelIDs)::uuid[], \(modes)::text[]) AS t (channel_id, mode)
                """,
                logger: logger
            )
            return .written(poll.id)
        }
        switch outcome {
        case .keyReused:
            throw StorageError(.idempotencyKeyReused, "the Idempotency-Key was already used for a different poll request")
        case .conflict(let conflict):
            throw conflict
        case .written(let id):
            guard let record = try await self.poll(id) else {
                throw StorageError(.databaseUnavailable, "poll \(id) vanished right after being written")
            }
            return id == poll.id ? .created(record) : .replayed(record)
        }
    }

    /// The poll an earlier start with this idempotency key created, and that start's request fingerprint.
    public func poll(createdBy: UUID?, idempotencyKey: String) async throws -> (poll: PollRecord, fingerprint: Data?)? {
        let rows = try await self.client.query(
            """
            SELECT id, idempotency_fingerprint FROM polls
            WHERE created_by IS NOT DISTINCT FROM \(createdBy) AND idempotency_key = \(idempotencyKey)
            """,
            logger: self.logger
        )
        var found: (UUID, Data?)?
        for try await row in rows.decode((UUID, Data?).self) { found = row }
        guard let (id, fingerprint) = found, let poll = try await self.poll(id) else { return nil }
        return (poll, fingerprint)
    }

    /// The poll with this id.
    public func poll(_ id: UUID) async throws -> PollRecord? {
        try await self.select(where: "p.id = \(id)", limit: 1).first
    }

    /// Every poll still running or ending (the daemon resumes them after a restart).
    public func unfinished() async throws -> [PollRecord] {
        try await self.select(where: "p.status IN ('running', 'ending')", limit: 10_000)
    }

    /// A page of the history, newest first.
    /// - Parameters:
    ///   - status: Only polls with this status.
    ///   - limit: Polls per page (1 to 100).
    ///   - cursor: The `nextCursor` of the previous page.
    /// - Throws: ``StorageError`` `invalid_cursor` for a cursor this store did not make.
    public func page(status: PollStatus?, limit: Int, cursor: String?) async throws -> Page {
        let limit = min(max(limit, 1), 100)
        var condition: PostgresQuery = "TRUE"
        if let cursor {
            guard let (micros, id) = Self.decodeCursor(cursor) else {
                throw StorageError(.invalidCursor, "the cursor is not one this API returned")
            }
            condition = "(p.started_at, p.id) < (timestamptz 'epoch' + \(micros) * interval '1 microsecond', \(id))"
        }
        if let status {
            var extended = condition
            let bindCount = extended.binds.count
            extended.sql += " AND p.status = $\(bindCount + 1)"
            extended.binds.append(status.rawValue, context: .default)
            condition = extended
        }
        let polls = try await self.select(where: condition, limit: limit + 1)
        guard polls.count > limit, let last = polls.prefix(limit).last else { return Page(polls: polls, nextCursor: nil) }
        return Page(polls: Array(polls.prefix(limit)), nextCursor: Self.encodeCursor(last))
    }

    /// Records the native Twitch poll that collects a channel's votes.
    public func setNativePoll(_ twitchPollID: String, pollID: UUID, channelID: UUID) async throws {
        try await self.client.query(
            "UPDATE poll_channels SET twitch_poll_id = \(twitchPollID) WHERE poll_id = \(pollID) AND channel_id = \(channelID)",
            logger: self.logger
        )
    }

    /// Switches a channel that was to run a native poll to chat voting, keeping why.
    public func fallBackToChat(pollID: UUID, channelID: UUID, reason: String) async throws {
        try await self.client.query(
            """
            UPDATE poll_channels SET mode = 'chat', native_error = \(reason)
            WHERE poll_id = \(pollID) AND channel_id = \(channelID)
            """,
            logger: self.logger
        )
    }

    /// Marks a running poll as ending (its deadline passed and the result is being written).
    public func markEnding(_ id: UUID) async throws {
        try await self.client.query("UPDATE polls SET status = 'ending' WHERE id = \(id) AND status = 'running'", logger: self.logger)
    }

    /// Writes the final result in one transaction: `polls` (status, ended_at, votes, total, winners, version, reason)
    /// and each `poll_channels` row. Idempotent: a poll already ended or cancelled is left as it is.
    /// - Parameters:
    ///   - id: The poll.
    ///   - status: `ended` or `cancelled`.
    ///   - endedAt: When it ended.
    ///   - reason: Why (`deadline`, `ended_early`, `cancelled`, `late`).
    ///   - votes: Final votes per option.
    ///   - channels: Final votes per option for each channel login.
    ///   - version: The tally version of these counts.
    /// - Returns: True when this call wrote the result, false when it was already written.
    @discardableResult
    public func finish(
        _ id: UUID,
        status: PollStatus,
        endedAt: Date,
        reason: String,
        votes: [Int],
        channels: [String: [Int]],
        version: Int
    ) async throws -> Bool {
        precondition(status.isFinal, "a poll finishes as ended or cancelled")
        let summary = TallySummary(votes: votes)
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { connection in
            let updated = try await connection.query(
                """
                UPDATE polls SET status = \(status.rawValue), ended_at = \(endedAt), ends_at = LEAST(ends_at, \(endedAt)), votes = \(summary.votes.map(Int64.init)),
                    total_votes = \(Int64(summary.totalVotes)), winners = \(summary.winners.map(Int32.init)),
                    tally_version = \(Int64(version)), end_reason = \(reason)
                WHERE id = \(id) AND status IN ('running', 'ending') RETURNING id
                """,
                logger: logger
            )
            var wrote = false
            for try await _ in updated { wrote = true }
            guard wrote else { return false }
            let rows = try await connection.query(
                "SELECT pc.channel_id, c.login FROM poll_channels pc JOIN channels c ON c.id = pc.channel_id WHERE pc.poll_id = \(id)",
                logger: logger
            )
            var members: [(UUID, String)] = []
            for try await member in rows.decode((UUID, String).self) { members.append(member) }
            for (channelID, login) in members {
                let counts = (channels[login] ?? [Int](repeating: 0, count: votes.count)).map { Int64(max(0, $0)) }
                try await connection.query(
                    """
                    UPDATE poll_channels SET votes = \(counts), total_votes = \(counts.reduce(0, +)), status = \(status.rawValue)
                    WHERE poll_id = \(id) AND channel_id = \(channelID)
                    """,
                    logger: logger
                )
            }
            return true
        }
    }

    /// The advisory lock key that serialises poll starts.
    private static let startLock: Int64 = 0x7475_6D75_6C74_6501

    private func select(where condition: PostgresQuery, limit: Int) async throws -> [PollRecord] {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT p.id, p.title, p.options, p.duration_seconds, p.mode, p.vote_rule, p.status, p.started_at, p.ends_at,
                    p.ended_at, p.votes, p.tally_version, p.end_reason, p.created_by
                FROM polls p WHERE 
                """
        )
        query.sql += condition.sql + " ORDER BY p.started_at DESC, p.id DESC LIMIT \(limit)"
        query.binds = condition.binds
        let rows = try await self.client.query(query, logger: self.logger)
        typealias Row = (UUID, String, [String], Int32, String, String, String, Date, Date, Date?, [Int64]?, Int64?, String?, UUID?)
        var polls: [Row] = []
        for try await row in rows.decode(Row.self) { polls.append(row) }
        guard !polls.isEmpty else { return [] }

        let ids = polls.map(\.0)
        let channelRows = try await self.client.query(
            """
            SELECT pc.poll_id, pc.channel_id, c.login, pc.mode, pc.status, pc.votes, pc.twitch_poll_id, pc.native_error
            FROM poll_channels pc JOIN channels c ON c.id = pc.channel_id WHERE pc.poll_id = ANY(\(ids))
            """,
            logger: self.logger
        )
        var channels: [UUID: [PollChannelRecord]] = [:]
        for try await (pollID, channelID, login, mode, status, votes, twitchPollID, nativeError) in channelRows.decode(
            (UUID, UUID, String, String, String, [Int64]?, String?, String?).self
        ) {
            guard let login = ChannelLogin(login), let mode = ChannelVoteMode(rawValue: mode) else { continue }
            channels[pollID, default: []].append(
                PollChannelRecord(
                    channelID: channelID,
                    login: login,
                    mode: mode,
                    status: status,
                    votes: votes?.map { Int($0) },
                    twitchPollID: twitchPollID,
                    nativeError: nativeError
                )
            )
        }
        return polls.compactMap { row in
            guard let mode = PollMode(rawValue: row.4), let rule = VoteRule(rawValue: row.5), let status = PollStatus(rawValue: row.6) else {
                self.logger.error("poll row with unknown enum values skipped", metadata: ["poll.id": "\(row.0)"])
                return nil
            }
            return PollRecord(
                id: row.0,
                title: row.1,
                options: row.2,
                durationSeconds: Int(row.3),
                mode: mode,
                voteRule: rule,
                status: status,
                startedAt: row.7,
                endsAt: row.8,
                endedAt: row.9,
                votes: row.10?.map { Int($0) },
                tallyVersion: row.11.map { Int($0) },
                endReason: row.12,
                createdBy: row.13,
                channels: (channels[row.0] ?? []).sorted { $0.login < $1.login }
            )
        }
    }

    private static func encodeCursor(_ poll: PollRecord) -> String {
        let micros = Int64((poll.startedAt.timeIntervalSince1970 * 1_000_000).rounded())
        return Data("\(micros)|\(poll.idString)".utf8).base64URLEncoded
    }

    private static func decodeCursor(_ cursor: String) -> (Int64, UUID)? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 128, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        return (micros, id)
    }
}
