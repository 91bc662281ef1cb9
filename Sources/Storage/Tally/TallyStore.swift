public import Core
public import Redis

/// Counts votes in Redis, exactly once, with one Lua call per poll per batch (pipelined across polls).
///
/// De-duplication (message id / Shared Chat source id), the `[startedAt, endsAt]` window, the unique and
/// standard rules, per-channel counts, the version bump and the change notice all happen inside the script,
/// so replaying a batch after a Redis outage never counts a vote twice.
public struct TallyStore: Sendable {
    /// The pub/sub channel on which every change is announced as `<pollId>:<version>`.
    public let noticeChannel: String
    private let redis: RedisClient
    private let prefix: String

    /// Creates a store.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - prefix: The key prefix, so several deployments (or tests) can share one Redis.
    public init(redis: RedisClient, prefix: String = "tumulte") {
        self.redis = redis
        self.prefix = prefix
        self.noticeChannel = "\(prefix):poll-changes"
    }

    /// Makes a poll known to the counter. Idempotent: a poll already known keeps its counts, window and status, so
    /// re-registering after a restart never reopens a closed poll.
    /// - Returns: True when this call created the poll's state.
    @discardableResult
    public func register(_ poll: RunningPoll) async throws(RedisError) -> Bool {
        let keys = TallyKeys(prefix: self.prefix, pollID: poll.id)
        let reply = try await self.redis.evalScript(
            TallyScripts.register,
            keys: [keys.meta],
            arguments: ["\(poll.optionCount)", "\(poll.startedAt)", "\(poll.endsAt)", poll.rule.rawValue]
        )
        return reply.int == 1
    }

    /// Moves the end of the voting window (end-now), so later votes are refused.
    public func setEndsAt(_ endsAt: Int64, pollID: String) async throws(RedisError) {
        _ = try await self.redis.execute(RedisCommand("HSET", TallyKeys(prefix: self.prefix, pollID: pollID).meta, "endsAt", "\(endsAt)"))
    }

    /// Records that the GM ended or cancelled the poll early: the window closes at `endsAt` (never later than
    /// planned) and `outcome` tells whoever finalises it how it ended, even after a restart.
    /// - Returns: The state that took effect: whether the poll was still open, its window end and its outcome;
    ///   nil when Redis holds no state for the poll.
    @discardableResult
    public func requestEnd(pollID: String, at endsAt: Int64, outcome: String) async throws(RedisError) -> TallyMeta? {
        let reply = try await self.redis.evalScript(
            TallyScripts.requestEnd,
            keys: [TallyKeys(prefix: self.prefix, pollID: pollID).meta],
            arguments: ["\(endsAt)", outcome]
        )
        guard let fields = reply.array?.compactMap(\.string), fields.count == 3, fields[0] != "missing" else { return nil }
        return TallyMeta(isOpen: fields[0] == "running", endsAt: Int64(fields[1]), outcome: fields[2].isEmpty ? nil : fields[2], version: 0)
    }

    /// The poll's counting state: open or closed, its window end, the requested outcome and the version.
    public func meta(pollID: String) async throws(RedisError) -> TallyMeta? {
        let reply = try await self.redis.execute(
            RedisCommand("HMGET", TallyKeys(prefix: self.prefix, pollID: pollID).meta, "status", "endsAt", "outcome", "version")
        )
        guard let fields = reply.array, fields.count == 4, let status = fields[0].string else { return nil }
        return TallyMeta(
            isOpen: status == "running",
            endsAt: fields[1].string.flatMap { Int64($0) },
            outcome: fields[2].string,
            version: fields[3].string.flatMap { Int($0) } ?? 0
        )
    }

    /// Sets a channel's counts to a native poll's running totals (never lowering one), announcing the change like
    /// chat votes. Returns false when the poll no longer takes votes.
    @discardableResult
    public func setChannelCounts(pollID: String, channel: String, votes: [Int]) async throws(RedisError) -> Bool {
        let keys = TallyKeys(prefix: self.prefix, pollID: pollID)
        let reply = try await self.redis.evalScript(
            TallyScripts.setChannelCounts,
            keys: [keys.meta, keys.counts],
            arguments: [self.noticeChannel, pollID, channel] + votes.map(String.init)
        )
        return (reply.int ?? -1) >= 0
    }

    /// Freezes the counts: no vote or removal changes them afterwards. Does nothing for a poll Redis no longer holds.
    public func close(pollID: String) async throws(RedisError) {
        _ = try await self.redis.evalScript(TallyScripts.close, keys: [TallyKeys(prefix: self.prefix, pollID: pollID).meta], arguments: [])
    }

    /// Lets every key of the poll expire after `seconds` (once its result is persisted elsewhere).
    public func expire(pollID: String, after seconds: Int) async throws(RedisError) {
        let commands = TallyKeys(prefix: self.prefix, pollID: pollID).all.map { RedisCommand("EXPIRE", $0, "\(seconds)") }
        for result in try await self.redis.execute(commands) {
            _ = try result.get()
        }
    }

    /// Counts `votes` (any mix of polls) in one round trip; see ``apply(_:chunkSize:)``.
    public func record(_ votes: [Vote], chunkSize: Int = 500) async throws(RedisError) -> VoteBatchResult {
        try await self.apply(votes.map(TallyChange.vote), chunkSize: chunkSize).votes
    }

    /// Applies changes in order, all pipelined in one round trip: votes as script calls of at most `chunkSize` votes
    /// per poll, removals as one call each, never reordered across a removal of the same poll.
    /// - Throws: ``RedisError`` when Redis cannot be reached; retrying the same changes never counts a vote twice.
    public func apply(_ changes: [TallyChange], chunkSize: Int = 500) async throws(RedisError) -> (votes: VoteBatchResult, removed: Int) {
        guard !changes.isEmpty else { return (VoteBatchResult(), 0) }
        let chunkSize = max(1, chunkSize)
        var calls: [(script: RedisScript, keys: [String], arguments: [String])] = []
        var isVoteCall: [Bool] = []
        var order: [String] = []
        var pending: [String: [Vote]] = [:]
        func flushVotes() {
            for pollID in order {
                let votes = pending[pollID]!
                for start in stride(from: 0, to: votes.count, by: chunkSize) {
                    var arguments = [self.noticeChannel, pollID]
                    arguments.reserveCapacity(2 + chunkSize * 6)
                    for vote in votes[start..<min(start + chunkSize, votes.count)] {
                        arguments += [vote.deduplicationKey, vote.messageID, vote.channel, vote.userID, "\(vote.option)", "\(vote.sentAt)"]
                    }
                    calls.append((TallyScripts.recordVotes, TallyKeys(prefix: self.prefix, pollID: pollID).all, arguments))
                    isVoteCall.append(true)
                }
            }
            order.removeAll()
            pending.removeAll()
        }
        for change in changes {
            switch change {
            case .vote(let vote):
                if pending[vote.pollID] == nil { order.append(vote.pollID) }
                pending[vote.pollID, default: []].append(vote)
            case .removeMessage(let pollID, let id), .removeUser(let pollID, let id):
                flushVotes()
                let kind = if case .removeMessage = change { "message" } else { "user" }
                calls.append((TallyScripts.removeVotes, TallyKeys(prefix: self.prefix, pollID: pollID).all, [self.noticeChannel, pollID, kind, id]))
                isVoteCall.append(false)
            }
        }
        flushVotes()

        var total = VoteBatchResult()
        var removed = 0
        for (index, result) in try await self.redis.evalScripts(calls).enumerated() {
            let reply = try result.get()
            guard isVoteCall[index] else {
                removed += Int(reply.int ?? 0)
                continue
            }
            guard let fields = reply.array?.compactMap(\.int), fields.count == 7 else {
                throw RedisError(.protocolError, message: "unexpected reply from the vote script: \(reply)")
            }
            var batch = VoteBatchResult()
            batch.accepted = Int(fields[0])
            batch.duplicate = Int(fields[1])
            batch.outsideWindow = Int(fields[2])
            batch.invalid = Int(fields[3])
            batch.closed = Int(fields[4])
            batch.superseded = Int(fields[5])
            total.add(batch)
        }
        return (total, removed)
    }

    /// Reads the counts of a poll at one version.
    /// - Parameters:
    ///   - pollID: The poll.
    ///   - optionCount: How many options it has.
    ///   - channels: Its channel logins (each appears in the snapshot, with zeros when nobody voted there).
    public func snapshot(pollID: String, optionCount: Int, channels: [String]) async throws(RedisError) -> TallySnapshot {
        let keys = TallyKeys(prefix: self.prefix, pollID: pollID)
        // MULTI/EXEC makes the counts and the version one consistent read.
        let results = try await self.redis.execute([
            RedisCommand("MULTI"), RedisCommand("HGETALL", keys.counts), RedisCommand("HGET", keys.meta, "version"), RedisCommand("EXEC"),
        ])
        guard let exec = try results.last?.get().array, exec.count == 2, let pairs = exec[0].array else {
            throw RedisError(.protocolError, message: "unexpected reply while reading the tally of poll \(pollID)")
        }
        var votes = [Int](repeating: 0, count: optionCount)
        var perChannel = Dictionary(uniqueKeysWithValues: channels.map { ($0, [Int](repeating: 0, count: optionCount)) })
        var index = 0
        while index + 1 < pairs.count {
            defer { index += 2 }
            guard let field = pairs[index].string, let value = pairs[index + 1].string.flatMap({ Int($0) }),
                let separator = field.lastIndex(of: "|"), let option = Int(field[field.index(after: separator)...]),
                (0..<optionCount).contains(option)
            else { continue }
            let channel = String(field[..<separator])
            if channel == "*" {
                votes[option] = value
            } else if perChannel[channel] != nil {
                perChannel[channel]![option] = value
            }
        }
        let version = exec[1].string.flatMap { Int($0) } ?? 0
        return TallySnapshot(pollID: pollID, votes: votes, channels: perChannel, version: version)
    }
}
