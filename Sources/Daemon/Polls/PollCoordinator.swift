public import Core
public import Foundation
public import Logging
import NIOCore
public import Redis
public import ServiceLifecycle
public import Storage
import Synchronization

/// The poll lifecycle: start across channels, live reads, end-now and cancel, deadlines, and the one-time write of
/// each final result, surviving restarts and outages.
///
/// PostgreSQL says which polls exist and which are finished; Redis holds the counts, the deadlines (a sorted set)
/// and the finalisation lease, so several daemons can share the work and a restarted one resumes where it stopped.
public final class PollCoordinator: Service, Sendable {
    /// Timings of the lifecycle.
    public struct Configuration: Sendable {
        /// How long after the deadline votes sent in time may still arrive before the count is frozen.
        public var grace: Duration = .seconds(2)
        /// How long a finalisation lease lasts before another daemon may take over.
        public var leaseDuration: Duration = .seconds(60)
        /// How long a finished poll's Redis keys live after its result is written.
        public var retention: Duration = .seconds(3600)
        /// The longest wait between two attempts to write a result while PostgreSQL or Redis is away.
        public var maxRetryDelay: Duration = .seconds(10)
        /// How often unfinished polls are re-read from PostgreSQL (to pick up polls other daemons started).
        public var reconcileInterval: Duration = .seconds(30)
        /// This daemon's name in leases.
        public var instanceID = UUID().uuidString.lowercased()
        /// The Redis key prefix.
        public var prefix = "tumulte"

        /// Creates the default configuration.
        public init() {}
    }

    private struct State {
        var unfinished: [UUID: PollRecord] = [:]
        /// Polls seen finishing, so a reconcile that read them just before cannot reopen them.
        var finished: Set<UUID> = []
        /// When each unfinished poll was first opened here (a reconcile forgets the ones PostgreSQL no longer lists).
        var openedAt: [UUID: ContinuousClock.Instant] = [:]
        var activeChannels: Set<String> = []
        var inFlight: Set<UUID> = []
        var waiters: [UUID: [Int: CheckedContinuation<Bool, Never>]] = [:]
        var nextWaiter = 0
        var loaded = false
    }

    /// The pub/sub channel on which poll starts and ends are announced (`start:<id>`, `end:<id>`).
    public let lifecycleChannel: String

    private let polls: PollStore
    private let channels: ChannelStore
    private let counter: VoteCounter
    private let sink: VoteSink
    private let deadlines: PollDeadlines
    private let redis: RedisClient
    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = WakeSignal()
    /// Native Twitch polls, when a Twitch application is configured.
    let native: NativePolls?

    /// Creates the coordinator.
    public convenience init(
        polls: PollStore,
        channels: ChannelStore,
        counter: VoteCounter,
        sink: VoteSink,
        redis: RedisClient,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.init(
            polls: polls,
            channels: channels,
            counter: counter,
            sink: sink,
            redis: redis,
            native: nil,
            configuration: configuration,
            logger: logger
        )
    }

    /// Creates the coordinator with native polls.
    init(
        polls: PollStore,
        channels: ChannelStore,
        counter: VoteCounter,
        sink: VoteSink,
        redis: RedisClient,
        native: NativePolls?,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.native = native
        self.polls = polls
        self.channels = channels
        self.counter = counter
        self.sink = sink
        self.redis = redis
        self.deadlines = PollDeadlines(redis: redis, prefix: configuration.prefix)
        self.configuration = configuration
        self.logger = logger
        self.lifecycleChannel = "\(configuration.prefix):poll-lifecycle"
    }

    // MARK: Commands

    /// Starts a poll: validates its channels, writes it, opens counting and schedules its deadline.
    /// - Returns: The poll, and whether it is an earlier poll returned for a repeated idempotency key.
    /// - Throws: ``PollValidationError`` for unknown channels or unavailable modes, ``PollConflict`` when a
    ///   channel is busy, ``StorageError`` `idempotency_key_reused`, database or Redis errors.
    public func start(
        _ spec: PollSpec,
        createdBy: UUID?,
        idempotencyKey: String?,
        fingerprint: Data?
    ) async throws -> (poll: PollView, replayed: Bool) {
        let channelStore = self.channels
        let known = try await withTimeout(Self.requestTimeout, "reading channels") { try await channelStore.channels(spec.channels) }
        var problems: [String: String] = [:]
        var members: [(channel: ChannelRecord, mode: ChannelVoteMode)] = []
        for (index, login) in spec.channels.enumerated() {
            guard let channel = known[login] else {
                problems["channels[\(index)]"] = "\(login) is not a known channel; add it with POST /api/v1/channels first"
                continue
            }
            let refusal: String?
            if let native = self.native {
                refusal = native.refusal(for: channel)
            } else {
                refusal =
                    channel.isConnected
                    ? "this tumulte has no Twitch application configured, which native polls need"
                    : "\(login) has no connected Twitch account, which native polls need"
            }
            switch spec.mode {
            case .chat:
                members.append((channel, .chat))
            case .auto:
                members.append((channel, refusal == nil ? .native : .chat))
            case .native:
                if let refusal {
                    problems["channels[\(index)]"] = refusal
                } else {
                    members.append((channel, .native))
                }
            }
        }
        guard problems.isEmpty else { throw PollValidationError(fields: problems) }

        let newPoll = PollStore.NewPoll(
            id: UUID(),
            spec: spec,
            channels: members,
            startedAt: Date(milliseconds: Date().milliseconds),
            createdBy: createdBy,
            idempotencyKey: idempotencyKey,
            fingerprint: fingerprint
        )
        let polls = self.polls
        let creation = try await withTimeout(Self.requestTimeout, "writing the poll") { try await polls.create(newPoll) }
        switch creation {
        case .replayed(let record):
            // The first attempt may have failed to open counting (Redis away): opening is idempotent.
            if !record.status.isFinal { try await self.open(record) }
            return (try await self.view(of: record), true)
        case .created(var record):
            do {
                try await self.open(record)
            } catch {
                // The poll is written; the reconcile loop (or a retry with the same Idempotency-Key) opens it.
                self.logger.warning(
                    "poll written but counting not opened yet; will retry",
                    metadata: ["poll.id": "\(record.idString)", "error": "\(error)"]
                )
                throw error
            }
            if let native = self.native, record.channels.contains(where: { $0.mode == .native }) {
                // Chat channels count from the start; a channel whose native poll Twitch refuses votes in chat from
                // now on, and the poll says why.
                let outcome = await native.begin(record)
                record = record.withNativePolls(outcome.created, fallbacks: outcome.fallbacks)
                try? await self.open(record)
            }
            _ = try? await self.redis.execute(RedisCommand("PUBLISH", self.lifecycleChannel, "start:\(record.idString)"))
            // With a bot account, chat channels are told how to vote (native ones see Twitch's own poll).
            await self.announce(
                PollAnnouncement.start(record),
                in: record.channels.filter { $0.mode == .chat }.map(\.login.value),
                pollID: record.idString
            )
            self.logger.info(
                "poll started",
                metadata: [
                    "poll.id": "\(record.idString)", "poll.channels": "\(record.channels.count)",
                    "poll.duration_seconds": "\(record.durationSeconds)", "poll.vote_rule": "\(record.voteRule.rawValue)",
                ]
            )
            return (try await self.view(of: record), false)
        }
    }

    /// The poll an earlier start with this idempotency key created, if the request is the same (a retry).
    /// - Throws: ``StorageError`` `idempotency_key_reused` when the key came with a different request.
    public func replay(createdBy: UUID?, idempotencyKey: String, fingerprint: Data?) async throws -> PollView? {
        let polls = self.polls
        guard
            let (record, stored) = try await withTimeout(
                Self.requestTimeout,
                "reading the poll",
                {
                    try await polls.poll(createdBy: createdBy, idempotencyKey: idempotencyKey)
                }
            )
        else { return nil }
        guard stored == fingerprint else {
            throw StorageError(.idempotencyKeyReused, "the Idempotency-Key was already used for a different poll request")
        }
        if !record.status.isFinal { try await self.open(record) }
        return try await self.view(of: record)
    }

    /// The unfinished poll the channel is in, if this daemon knows one, with its live tally.
    public func currentPoll(channel login: String) async throws -> PollView? {
        let record = self.state.withLock { state in
            state.unfinished.values.filter { $0.channels.contains { $0.login.value == login } }.max { $0.startedAt < $1.startedAt }
        }
        guard let record else { return nil }
        return try await self.view(of: record)
    }

    /// Tells every daemon sharing the Redis to cut the overlay streams of a channel (its token was rotated or revoked).
    public func announceOverlayRevoked(_ login: ChannelLogin) async {
        _ = try? await self.redis.execute(RedisCommand("PUBLISH", self.lifecycleChannel, "revoke:\(login.value)"))
    }

    /// The poll with this id, with its live or final tally.
    public func poll(_ id: UUID) async throws -> PollView? {
        if let record = self.state.withLock({ $0.unfinished[id] }) {
            return try await self.view(of: record)
        }
        let polls = self.polls
        guard let record = try await withTimeout(Self.requestTimeout, "reading the poll", { try await polls.poll(id) }) else { return nil }
        return try await self.view(of: record)
    }

    /// A page of the history, newest first.
    public func page(status: PollStatus?, limit: Int, cursor: String?) async throws -> (polls: [PollView], nextCursor: String?) {
        let polls = self.polls
        let page = try await withTimeout(Self.requestTimeout, "reading the history") {
            try await polls.page(status: status, limit: limit, cursor: cursor)
        }
        var views: [PollView] = []
        for record in page.polls { views.append(try await self.view(of: record)) }
        return (views, page.nextCursor)
    }

    /// Ends a running poll now: votes sent from now on are refused; the result is written like a natural end
    /// (after the grace period for votes already sent).
    /// - Returns: The poll, ended; or still ending when the result could not be written within `wait`.
    public func end(_ id: UUID, wait: Duration = .seconds(10)) async throws -> PollView {
        try await self.requestEnd(id, ending: .endedEarly, dueAfter: self.configuration.grace, wait: wait)
    }

    /// Cancels a running poll at once: the tally so far is kept and the poll is announced as cancelled.
    public func cancel(_ id: UUID, wait: Duration = .seconds(10)) async throws -> PollView {
        try await self.requestEnd(id, ending: .cancelled, dueAfter: .zero, wait: wait)
    }

    /// Notes that a channel was added (chat starts reading it).
    public func channelAdded(_ login: ChannelLogin) {
        self.state.withLock { _ = $0.activeChannels.insert(login.value) }
        self.syncChatChannels()
    }

    /// Notes that a channel was removed (chat parts it once no unfinished poll uses it).
    public func channelRemoved(_ login: ChannelLogin) {
        self.state.withLock { _ = $0.activeChannels.remove(login.value) }
        self.syncChatChannels()
    }

    // MARK: Service

    /// Resumes unfinished polls, then finalises polls as their deadlines pass, until shutdown.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.reconcileLoop() }
            group.addTask { await self.listenForLifecycle() }
            await self.scheduleLoop(group: &group)
            group.cancelAll()
        }
    }

    // MARK: Internals

    private func requestEnd(_ id: UUID, ending: PollEnding, dueAfter delay: Duration, wait: Duration) async throws -> PollView {
        let polls = self.polls
        var record = self.state.withLock { $0.unfinished[id] }
        if record == nil { record = try await withTimeout(Self.requestTimeout, "reading the poll") { try await polls.poll(id) } }
        guard let record else { throw PollCoordinatorError(.notFound, pollID: id) }
        guard !record.status.isFinal else { throw PollCoordinatorError(.notRunning, pollID: id) }
        let pollID = record.idString
        let now = Date().milliseconds
        // What took effect: a cancel after an end-now keeps the end-now (and its grace for late messages).
        if let effect = try await self.store.requestEnd(pollID: pollID, at: now, outcome: ending.rawValue), effect.isOpen {
            let outcome = effect.outcome.flatMap(PollEnding.init(rawValue:)) ?? .deadline
            let grace = outcome == .cancelled ? 0 : self.configuration.grace.milliseconds
            let due = (effect.endsAt ?? now) + grace
            // Only moves a deadline still scheduled: a poll finalised meanwhile is not scheduled again.
            try await self.deadlines.reschedule(pollID: pollID, dueAt: due)
            self.logger.info("poll end requested", metadata: ["poll.id": "\(pollID)", "poll.end_reason": "\(outcome.rawValue)"])
            self.wake.signal()
            // Twitch's own polls stop too; their last counts arrive before the count is frozen.
            await self.native?.settle(record)
        }
        _ = await self.waitUntilFinished(id, timeout: wait + delay)
        guard let view = try await self.poll(id) else { throw PollCoordinatorError(.notFound, pollID: id) }
        return view
    }

    private var store: TallyStore { self.counter.store }

    /// Opens counting for an unfinished poll (idempotent) and schedules its deadline.
    private func open(_ record: PollRecord) async throws {
        let known = self.state.withLock { state -> Bool in
            // A poll seen finishing is never reopened by a reconcile or lifecycle message that read it just before.
            guard !state.finished.contains(record.id) else { return false }
            if state.unfinished[record.id] == nil { state.openedAt[record.id] = .now }
            state.unfinished[record.id] = record
            return true
        }
        guard known else { return }
        try await self.counter.start(record.running)
        await self.native?.track(record)
        try await self.deadlines.scheduleIfAbsent(
            pollID: record.idString,
            dueAt: record.endsAt.milliseconds + self.configuration.grace.milliseconds
        )
        self.syncChatChannels()
        self.wake.signal()
    }

    private func view(of record: PollRecord) async throws -> PollView {
        if record.status.isFinal { return PollView(final: record) }
        let running = record.running
        async let meta = self.store.meta(pollID: running.id)
        let snapshot = try await self.counter.tally(of: running)
        return PollView(live: record, snapshot: snapshot, meta: try await meta)
    }

    /// Makes chat read every active channel and every channel of an unfinished poll.
    private func syncChatChannels() {
        let wanted = self.state.withLock { state in
            state.activeChannels.union(state.unfinished.values.flatMap { $0.channels.map(\.login.value) })
        }
        self.counter.setChannels(wanted)
    }

    /// Loads unfinished polls and active channels from PostgreSQL, retrying until it answers, then every interval.
    private func reconcileLoop() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let (polls, channels) = (self.polls, self.channels)
                let readAt = ContinuousClock.now
                let unfinished = try await withTimeout(Self.databaseTimeout, "loading unfinished polls") { try await polls.unfinished() }
                let active = try await withTimeout(Self.databaseTimeout, "loading channels") { try await channels.list() }
                self.state.withLock { $0.activeChannels = Set(active.map(\.login.value)) }
                for record in unfinished where !self.state.withLock({ $0.finished.contains(record.id) }) {
                    let isNew = self.state.withLock { $0.unfinished[record.id] == nil }
                    try await self.open(record)
                    if isNew && !self.state.withLock({ $0.loaded }) {
                        self.logger.info("poll resumed", metadata: ["poll.id": "\(record.idString)", "poll.status": "\(record.status.rawValue)"])
                    }
                }
                // A poll finished elsewhere whose `end:` message was lost (pub/sub drops while resubscribing).
                let listed = Set(unfinished.map(\.id))
                let stale = self.state.withLock { state in
                    state.unfinished.keys.filter { !listed.contains($0) && (state.openedAt[$0] ?? readAt) < readAt }
                }
                for id in stale { self.forget(id) }
                self.state.withLock { $0.loaded = true }
                self.syncChatChannels()
                attempt = 0
                try await Task.sleep(for: self.configuration.reconcileInterval)
            } catch is CancellationError {
                return
            } catch {
                attempt += 1
                self.logger.log(
                    level: attempt == 1 ? .warning : .debug,
                    "cannot load unfinished polls yet; will retry",
                    metadata: ["error": "\(String(reflecting: error))"]
                )
                try? await Task.sleep(for: self.retryDelay(attempt: attempt))
            }
        }
    }

    /// Follows starts and ends announced by other daemons sharing the Redis.
    private func listenForLifecycle() async {
        while !Task.isCancelled {
            do {
                try await self.redis.subscribe(to: [self.lifecycleChannel]) { subscription in
                    for try await message in subscription {
                        let text = String(buffer: message.payload)
                        guard let colon = text.firstIndex(of: ":"), let id = UUID(uuidString: String(text[text.index(after: colon)...])) else {
                            continue
                        }
                        let polls = self.polls
                        if text.hasPrefix("start:"), self.state.withLock({ $0.unfinished[id] == nil }),
                            let record = try? await withTimeout(Self.databaseTimeout, "reading a started poll", { try await polls.poll(id) }),
                            !record.status.isFinal
                        {
                            try? await self.open(record)
                        } else if text.hasPrefix("end:") {
                            self.forget(id)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                self.logger.debug("poll lifecycle subscription lost; resubscribing", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Finalises polls as their deadlines pass; each in its own child task so one slow poll delays no other.
    private func scheduleLoop(group: inout ThrowingDiscardingTaskGroup<any Error>) async {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var delay: Duration = .milliseconds(500)
                do {
                    let now = Date().milliseconds
                    for pollID in try await self.deadlines.due(at: now) {
                        guard let id = UUID(uuidString: pollID) else {
                            try await self.deadlines.remove(pollID: pollID)
                            continue
                        }
                        let claimed = self.state.withLock { $0.inFlight.insert(id).inserted }
                        guard claimed else { continue }
                        group.addTask {
                            await self.finaliseUntilDone(id)
                            self.state.withLock { _ = $0.inFlight.remove(id) }
                        }
                    }
                    if let next = try await self.deadlines.next() {
                        let wait = next - Date().milliseconds
                        // A deadline already past is in flight here or leased elsewhere: look again in a while, not at once.
                        delay = wait <= 0 ? .milliseconds(250) : .milliseconds(min(max(wait, 5), 500))
                    }
                } catch {
                    self.logger.debug("cannot read poll deadlines; will retry", metadata: ["error": "\(error)"])
                    delay = .seconds(1)
                }
                await self.wake.wait(until: .now + delay)
            }
        } onGracefulShutdown: {
            self.wake.signal()
        }
    }

    /// Writes the poll's result, retrying with backoff while PostgreSQL or Redis is away, until it is written,
    /// another daemon holds the lease, or the daemon stops.
    private func finaliseUntilDone(_ id: UUID) async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                try await self.finalise(id)
                if attempt > 0 {
                    self.logger.info("poll result written after retries", metadata: ["poll.id": "\(id)", "poll.attempts": "\(attempt + 1)"])
                }
                return
            } catch let error as LeaseHeldElsewhere {
                _ = error
                return
            } catch {
                attempt += 1
                self.logger.log(
                    level: attempt == 1 ? .warning : .debug,
                    "poll result not written yet; will retry",
                    metadata: ["poll.id": "\(id)", "poll.attempt": "\(attempt)", "error": "\(String(reflecting: error))"]
                )
                try? await Task.sleep(for: self.retryDelay(attempt: attempt))
            }
        }
    }

    private struct LeaseHeldElsewhere: Error {}

    /// How long past its deadline a poll still open counts as finalised late (its daemons were down).
    private static let lateAfter: Duration = .seconds(5)

    /// How long PostgreSQL may take to answer an API request before it counts as unreachable (503).
    private static let requestTimeout: Duration = .seconds(5)

    /// How long a background PostgreSQL operation may take before the attempt counts as failed and is retried.
    private static let databaseTimeout: Duration = .seconds(10)

    /// One attempt: freeze the count, read it, write it in one transaction, then tidy Redis and announce the end.
    private func finalise(_ id: UUID) async throws {
        let pollID = id.uuidString.lowercased()
        let owner = self.configuration.instanceID
        let leaseMilliseconds = Int(self.configuration.leaseDuration.milliseconds)
        guard try await self.deadlines.acquireLease(pollID: pollID, owner: owner, milliseconds: leaseMilliseconds) else {
            throw LeaseHeldElsewhere()
        }
        let polls = self.polls
        var record = self.state.withLock { $0.unfinished[id] }
        if record == nil { record = try await withTimeout(Self.databaseTimeout, "reading the poll") { try await polls.poll(id) } }
        guard let record else {
            self.logger.warning("deadline of an unknown poll dropped", metadata: ["poll.id": "\(pollID)"])
            try await self.deadlines.remove(pollID: pollID)
            try await self.deadlines.releaseLease(pollID: pollID, owner: owner)
            return
        }
        if !record.status.isFinal {
            let meta = try await self.store.meta(pollID: pollID)
            var ending = meta?.outcome.flatMap(PollEnding.init(rawValue:)) ?? .deadline
            let endsAt = meta?.endsAt ?? record.endsAt.milliseconds
            let lateness = Date().milliseconds - (endsAt + self.configuration.grace.milliseconds)
            if ending == .deadline, lateness > Self.lateAfter.milliseconds, meta?.isOpen ?? true {
                // No daemon closed it in time (all were down); recorded so retries keep the reason.
                ending = .late
                try await self.store.requestEnd(pollID: pollID, at: endsAt, outcome: ending.rawValue)
            }
            // Native channels whose end event has not arrived are read from Twitch before the count is frozen.
            if let native = self.native {
                _ = await result(within: .seconds(5), otherwise: false) {
                    await native.settle(record)
                    return true
                }
            }
            // Votes this daemon already received reach Redis before the count is frozen.
            guard await self.sinkCaughtUp(within: .seconds(5)) else {
                throw PollCoordinatorError(.finalisationPending, pollID: id)
            }
            try await self.store.close(pollID: pollID)
            // Best effort: the status shows `ending` from memory and Redis anyway; the write below is what must land.
            _ = try? await withTimeout(.seconds(2), "marking the poll ending") { try await polls.markEnding(id) }
            let snapshot = try await self.counter.tally(of: record.running)
            let endedAt = Date(milliseconds: min(endsAt, Date().milliseconds))
            let status: PollStatus = ending == .cancelled ? .cancelled : .ended
            let reason = ending.rawValue
            // The attempt may have been slow (PostgreSQL timing out): renew the lease right before the write.
            guard try await self.deadlines.acquireLease(pollID: pollID, owner: owner, milliseconds: leaseMilliseconds) else {
                throw LeaseHeldElsewhere()
            }
            let wrote = try await withTimeout(Self.databaseTimeout, "writing the result") {
                try await polls.finish(
                    id,
                    status: status,
                    endedAt: endedAt,
                    reason: reason,
                    votes: snapshot.votes,
                    channels: snapshot.channels,
                    version: snapshot.version
                )
            }
            let summary = snapshot.summary
            if wrote {
                await self.announce(
                    PollAnnouncement.end(record, summary: summary, cancelled: status == .cancelled),
                    in: record.channels.map(\.login.value),
                    pollID: pollID
                )
            }
            self.logger.log(
                level: wrote ? .info : .debug,
                wrote ? "poll ended" : "poll result was already written",
                metadata: [
                    "poll.id": "\(pollID)", "poll.end_reason": "\(ending.rawValue)", "poll.total_votes": "\(summary.totalVotes)",
                    "poll.winners": "\(summary.winners)", "poll.late_ms": "\(max(0, lateness))",
                ]
            )
        }
        // Expiry first: a crash between the two leaves the deadline, so the next attempt sets both.
        try await self.store.expire(pollID: pollID, after: Int(self.configuration.retention.components.seconds))
        try await self.deadlines.remove(pollID: pollID)
        // Forgotten first, so a listener reading the poll on `end:` gets the final result, not the cached running one.
        self.forget(id)
        _ = try? await self.redis.execute(RedisCommand("PUBLISH", self.lifecycleChannel, "end:\(pollID)"))
        try? await self.deadlines.releaseLease(pollID: pollID, owner: owner)
    }

    /// Posts a poll announcement in chat when logged in as a bot; failures are logged, never retried.
    private func announce(_ text: String, in channels: [String], pollID: String) async {
        let counter = self.counter
        let outcome = await result(within: .seconds(3), otherwise: (sent: 0, failures: ["*": "timed out"])) {
            await counter.say(text, in: channels)
        }
        for (channel, failure) in outcome.failures {
            self.logger.warning(
                "poll announcement not posted",
                metadata: ["poll.id": "\(pollID)", "twitch.channel": "\(channel)", "chat.error": "\(failure)"]
            )
        }
    }

    /// Notes that another daemon finished the poll (its `end:` message), before the feed reads its final result.
    public func noteFinished(_ id: UUID) {
        self.forget(id)
    }

    /// Stops counting a finished poll locally and wakes whoever waits for its end.
    private func forget(_ id: UUID) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.unfinished[id] = nil
            state.openedAt[id] = nil
            if state.finished.count > 10_000 { state.finished.removeAll() }
            state.finished.insert(id)
            return Array((state.waiters.removeValue(forKey: id) ?? [:]).values)
        }
        self.counter.stop(pollID: id.uuidString.lowercased())
        self.native?.untrack(pollID: id.uuidString.lowercased())
        self.syncChatChannels()
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Waits until the sink has counted what was queued before this call.
    private func sinkCaughtUp(within timeout: Duration) async -> Bool {
        let sink = self.sink
        return await result(within: timeout, otherwise: false) {
            await sink.waitUntilIdle()
            return !Task.isCancelled
        }
    }

    /// Waits until this daemon saw the poll finish, or `timeout`; true when it did.
    private func waitUntilFinished(_ id: UUID, timeout: Duration) async -> Bool {
        let key = self.state.withLock { state -> Int? in
            guard state.unfinished[id] != nil else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let key else { return true }
        return await result(within: timeout, otherwise: false) {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let finished = self.state.withLock { state -> Bool in
                        // A cancellation before this point found no waiter to resume, so check it here too.
                        guard state.unfinished[id] != nil, !Task.isCancelled else { return true }
                        state.waiters[id, default: [:]][key] = continuation
                        return false
                    }
                    if finished { continuation.resume(returning: true) }
                }
            } onCancel: {
                let waiter = self.state.withLock { $0.waiters[id]?.removeValue(forKey: key) }
                waiter?.resume(returning: false)
            }
        }
    }

    private func retryDelay(attempt: Int) -> Duration {
        min(self.configuration.maxRetryDelay, .milliseconds(250) * (1 << min(attempt, 10)))
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        self.components.seconds * 1000 + self.components.attoseconds / 1_000_000_000_000_000
    }
}
