/// An item for a connection's writer task.
enum OutboxItem: Sendable {
    /// Lines to write in one text frame, each CRLF-terminated (IRC-T4).
    case lines([String])
    /// Close the connection (the WebSocket close handshake follows).
    case close
}

/// The queue of a connection's writer; bounded in practice by the JOIN, PING and send rate limits.
typealias Outbox = AsyncStream<OutboxItem>.Continuation

/// The pool's decisions as a pure state machine: which channel goes on which connection, when a
/// connection opens, when a JOIN is sent, retried or given up on, when a replaced connection closes.
///
/// Time is passed in; nothing here performs I/O. `ChatConnectionPool` keeps it behind a mutex, feeds it
/// what the connections report and carries out the actions `tick(now:)` returns.
struct PoolState: Sendable {
    /// Where a wanted channel stands.
    enum ChannelStatus: Sendable, Equatable {
        /// Needs a connection.
        case unassigned
        /// On a connection, JOIN not sent yet (or to be retried after `notBefore`).
        case assigned(connection: Int, notBefore: ContinuousClock.Instant?)
        /// JOIN sent, confirmation expected before `deadline` (IRC-J2).
        case joining(connection: Int, deadline: ContinuousClock.Instant)
        /// JOIN confirmed (IRC-J1).
        case joined(connection: Int)
        /// Suspended; unassigned again at `retryAt` (IRC-J2).
        case suspended(retryAt: ContinuousClock.Instant)

        /// The connection this status refers to, if any.
        var connection: Int? {
            switch self {
            case .assigned(let id, _), .joining(let id, _), .joined(let id): id
            case .unassigned, .suspended: nil
            }
        }
    }

    /// One wanted channel.
    struct Channel: Sendable {
        /// Where it stands.
        var status: ChannelStatus = .unassigned
        /// Failed JOIN attempts since the last confirmation (drives the retry backoff).
        var failedJoins = 0
        /// Suspensions seen since the last confirmation (drives the long backoff).
        var suspensions = 0
    }

    /// Where a connection stands.
    enum Phase: Sendable, Equatable {
        /// Opened, waiting for `001`.
        case connecting
        /// Logged in; JOINs go here.
        case ready
        /// Got RECONNECT; still reading while its channels are re-joined elsewhere (IRC-R2).
        case draining
        /// Asked to close.
        case closing
    }

    /// One connection.
    struct Connection: Sendable {
        /// The connection id.
        let id: Int
        /// Where it stands.
        var phase = Phase.connecting
        /// Channels whose status refers to this connection.
        var channels: Set<String> = []
        /// Its writer queue, once the task started.
        var outbox: Outbox?
        /// When `001` arrived.
        var readyAt: ContinuousClock.Instant?
        /// When a draining connection is closed at the latest.
        var drainDeadline: ContinuousClock.Instant?
        /// Channels joined here when it started draining, still joined here.
        var drainJoined: Set<String> = []
        /// Why we closed it (draining or idle).
        var closeReason: ChatPoolError?
        /// The login generation it was opened under.
        var loginGeneration = 0
    }

    /// What the pool must do after a tick.
    enum Action: Sendable {
        /// Start a connection task, logging in as `login`.
        case open(connection: Int, refreshToken: Bool, login: ChatLogin)
        /// Write lines on a connection.
        case send(Outbox, lines: [String], connection: Int)
        /// Close a connection.
        case close(Outbox?, connection: Int, reason: ChatPoolError)
    }

    /// The result of a tick.
    struct TickOutput: Sendable {
        /// Actions to carry out, in order.
        var actions: [Action] = []
        /// Events to emit, in order.
        var events: [ChatPoolEvent] = []
        /// When to tick again at the latest (nil: only when signalled).
        var nextDeadline: ContinuousClock.Instant?
        /// Logged-in connections.
        var connectionCount = 0
        /// Joined channels.
        var joinedCount = 0
    }

    /// Longest JOIN/PART line built, in bytes.
    static let maximumLineLength = 480

    /// The settings.
    let configuration: ChatConnectionPoolConfiguration
    /// The channels asked for.
    private(set) var wanted: Set<String> = []
    /// Every channel the state machine tracks (the wanted ones, after a tick).
    private(set) var channels: [String: Channel] = [:]
    /// Live connections.
    private(set) var connections: [Int: Connection] = [:]
    /// The next connection id.
    private var nextConnectionID = 1
    /// JOINs across the pool (IRC-J3).
    private var joinBucket: TokenBucket
    /// Chat messages sent (IRC-S3).
    private var sendBucket: TokenBucket
    /// When the last connection was opened (or its socket connected, whichever is later, IRC-J5).
    private var lastOpenAt: ContinuousClock.Instant?
    /// No new connection before this instant (reconnect backoff, IRC-R3).
    private var backoffUntil: ContinuousClock.Instant?
    /// Consecutive connection failures.
    private(set) var failureStreak = 0
    /// Whether the next login asks for a refreshed token (IRC-L6).
    private(set) var refreshToken = false
    /// Whether `run()` was called.
    var started = false
    /// The login new connections use.
    private(set) var login: ChatLogin
    /// Bumped by every login change: connections opened under an earlier one are replaced, one at a time.
    private(set) var loginGeneration = 0
    /// Whether the current login is anonymous (it cannot send, so keeps no idle connection).
    var isAnonymous: Bool { login.isAnonymous }
    /// Randomness for jitter.
    private var generator = SystemRandomNumberGenerator()

    /// Creates the state.
    /// - Parameter configuration: The pool's settings.
    init(configuration: ChatConnectionPoolConfiguration) {
        self.configuration = configuration
        self.login = configuration.login
        self.joinBucket = TokenBucket(configuration.joinLimit)
        self.sendBucket = TokenBucket(configuration.sendLimit)
    }

    // MARK: Wanted channels

    /// Replaces the wanted set.
    mutating func setWanted(_ names: Set<String>) {
        wanted = names
    }

    /// Adds channels to the wanted set.
    mutating func addWanted(_ names: some Sequence<String>) {
        wanted.formUnion(names)
    }

    /// Removes channels from the wanted set.
    mutating func removeWanted(_ names: some Sequence<String>) {
        wanted.subtract(names)
    }

    /// Records a new login: from now on connections open under it, and the older ones are replaced. The old
    /// login's failures (backoff, the refreshed-token flag) do not hold the new one back.
    mutating func changeLogin(_ login: ChatLogin) {
        self.login = login
        loginGeneration += 1
        failureStreak = 0
        backoffUntil = nil
        refreshToken = false
    }

    // MARK: Reports from connections

    /// Records a connection's writer queue.
    mutating func attach(_ outbox: Outbox, connection id: Int) {
        connections[id]?.outbox = outbox
    }

    /// Records that a connection's socket is connected: the open interval counts from here too (IRC-J5).
    mutating func established(connection id: Int, now: ContinuousClock.Instant) {
        guard connections[id] != nil else { return }
        lastOpenAt = max(lastOpenAt ?? now, now)
    }

    /// Records `001` (IRC-L4).
    mutating func welcomed(connection id: Int, nick: String, now: ContinuousClock.Instant) -> [ChatPoolEvent] {
        guard connections[id]?.phase == .connecting else { return [] }
        connections[id]?.phase = .ready
        connections[id]?.readyAt = now
        refreshToken = false
        return [.connected(connection: id, login: nick)]
    }

    /// Records JOIN confirmations (self-JOIN or ROOMSTATE, IRC-J1).
    mutating func confirmed(_ names: [String], connection id: Int) -> [ChatPoolEvent] {
        guard connections[id]?.phase == .ready else { return [] }
        var events: [ChatPoolEvent] = []
        for name in names {
            guard var channel = channels[name], channel.status.connection == id else { continue }
            if case .joined = channel.status { continue }
            channel.status = .joined(connection: id)
            channel.failedJoins = 0
            channel.suspensions = 0
            channels[name] = channel
            events.append(.joined(channel: name))
        }
        return events
    }

    /// Records `msg_channel_suspended` for a channel (IRC-J2).
    mutating func suspended(_ name: String, connection id: Int, now: ContinuousClock.Instant) -> [ChatPoolEvent] {
        guard var channel = channels[name], channel.status.connection == id else { return [] }
        channel.suspensions += 1
        let delay = configuration.suspendedChannelBackoff.delay(attempt: channel.suspensions, using: &generator)
        channel.status = .suspended(retryAt: now + delay)
        channels[name] = channel
        connections[id]?.channels.remove(name)
        let reason = ChatPoolError(.channelSuspended, message: "the channel is suspended; retrying in \(delay.roundedDescription)")
        return [.joinFailed(channel: name, reason: reason)]
    }

    /// Records a PART of our own nick that we did not ask for (a ban, IRC-J7): re-join with backoff.
    mutating func partedByServer(_ name: String, connection id: Int, now: ContinuousClock.Instant) -> [ChatPoolEvent] {
        guard var channel = channels[name], channel.status == .joined(connection: id) else {
            connections[id]?.drainJoined.remove(name)
            return []
        }
        channel.failedJoins += 1
        let delay = configuration.joinRetryBackoff.delay(attempt: channel.failedJoins, using: &generator)
        channel.status = .assigned(connection: id, notBefore: now + delay)
        channels[name] = channel
        let reason = ChatPoolError(.partedByServer, message: "the server parted us; rejoining in \(delay.roundedDescription)")
        return [.joinFailed(channel: name, reason: reason)]
    }

    /// Records RECONNECT: the connection keeps reading while its channels move elsewhere (IRC-R1, IRC-R2).
    /// - Returns: Whether the connection started draining.
    mutating func reconnectRequested(connection id: Int, now: ContinuousClock.Instant) -> Bool {
        guard var connection = connections[id], connection.phase == .ready else { return false }
        connection.phase = .draining
        connection.drainDeadline = now + configuration.reconnectOverlap
        connection.closeReason = ChatPoolError(.reconnectRequested, message: "the server sent RECONNECT; replaced")
        for name in connection.channels {
            guard var channel = channels[name] else { continue }
            if case .joined = channel.status { connection.drainJoined.insert(name) }
            channel.status = .unassigned
            channels[name] = channel
        }
        connection.channels = []
        connections[id] = connection
        return true
    }

    /// Forgets an ended connection; an unplanned end re-queues its channels and backs off (IRC-R3, IRC-J6).
    /// - Returns: The events to emit and whether a logged-in connection was lost unexpectedly.
    mutating func connectionEnded(
        connection id: Int,
        reason: ChatPoolError,
        now: ContinuousClock.Instant
    ) -> (events: [ChatPoolEvent], lostReady: Bool) {
        guard let connection = connections.removeValue(forKey: id) else { return ([], false) }
        switch connection.phase {
        case .draining, .closing:
            return ([.disconnected(connection: id, reason: connection.closeReason ?? reason)], false)
        case .connecting, .ready:
            for name in connection.channels where channels[name]?.status.connection == id {
                channels[name]?.status = .unassigned
            }
            guard reason.code != .shutdown else { return ([.disconnected(connection: id, reason: reason)], false) }
            if let readyAt = connection.readyAt, now - readyAt >= configuration.stablePeriod { failureStreak = 0 }
            resetStreakIfStable(now: now)
            failureStreak += 1
            let delay = configuration.reconnectBackoff.delay(attempt: failureStreak, using: &generator)
            backoffUntil = now + delay
            var events: [ChatPoolEvent] = []
            if reason.code == .loginFailed { refreshToken = true }
            if reason.code == .loginFailed || reason.code == .tokenUnavailable {
                events.append(.loginFailed(reason: reason, retryAfter: delay))
            }
            events.append(.disconnected(connection: id, reason: reason))
            return (events, connection.phase == .ready)
        }
    }

    // MARK: Sending

    /// Takes a send token at `now`; nil when taken, else the instant to try again (IRC-S3).
    mutating func takeSendToken(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        if sendBucket.take(at: now) { return nil }
        return sendBucket.nextAvailable(at: now)
    }

    /// The writer to send a message to `name` through: a connection joined to it, else any logged-in one; only
    /// connections under the current login, since another one would post as someone else (or not at all).
    func sendTarget(for name: String) -> Outbox? {
        if let channel = channels[name], case .joined(let id) = channel.status,
            let connection = connections[id], connection.phase == .ready, connection.loginGeneration == loginGeneration,
            let outbox = connection.outbox
        {
            return outbox
        }
        let candidates = connections.values.filter {
            ($0.phase == .ready || $0.phase == .draining) && $0.loginGeneration == loginGeneration
        }.sorted { $0.id < $1.id }
        if let draining = candidates.first(where: { $0.drainJoined.contains(name) }), let outbox = draining.outbox {
            return outbox
        }
        return candidates.first { $0.phase == .ready }?.outbox
    }

    // MARK: Status

    /// The health snapshot.
    var status: ChatPoolStatus {
        var joined = Set<String>()
        var suspended = Set<String>()
        for (name, channel) in channels where wanted.contains(name) {
            switch channel.status {
            case .joined: joined.insert(name)
            case .suspended: suspended.insert(name)
            default: break
            }
        }
        for connection in connections.values where connection.phase == .draining {
            joined.formUnion(connection.drainJoined.intersection(wanted))
        }
        return ChatPoolStatus(
            connections: connections.values.count { $0.phase == .ready || $0.phase == .draining },
            joinedChannels: joined,
            wantedChannels: wanted,
            suspendedChannels: suspended
        )
    }

    // MARK: Tick

    /// Applies time and the wanted set: parts, JOIN timeouts, assignment, connection opening (paced and
    /// backed off), JOINs under the token bucket, the end of RECONNECT overlaps, idle connections.
    mutating func tick(now: ContinuousClock.Instant) -> TickOutput {
        var output = TickOutput()
        resetStreakIfStable(now: now)
        reconcileWanted(now: now, into: &output)
        expireJoins(now: now, into: &output)
        releaseSuspended(now: now)
        replaceOutdatedLogin(now: now)
        let needsConnection = assignChannels(now: now, into: &output)
        sendJoins(now: now, into: &output)
        finishOverlaps(now: now, into: &output)
        closeIdleConnections(into: &output)
        output.nextDeadline = nextDeadline(now: now, needsConnection: needsConnection)
        let status = status
        output.connectionCount = status.connections
        output.joinedCount = status.joinedChannels.count
        return output
    }

    /// Resets the failure streak once some connection has been logged in for the stable period (IRC-R3).
    private mutating func resetStreakIfStable(now: ContinuousClock.Instant) {
        guard failureStreak > 0 else { return }
        let stable = connections.values.contains { connection in
            guard connection.phase == .ready, connection.loginGeneration == loginGeneration, let readyAt = connection.readyAt else {
                return false
            }
            return now - readyAt >= configuration.stablePeriod
        }
        if stable { failureStreak = 0 }
    }

    /// Parts channels no longer wanted and starts tracking newly wanted ones.
    private mutating func reconcileWanted(now: ContinuousClock.Instant, into output: inout TickOutput) {
        var parts: [Int: [String]] = [:]
        for name in Array(channels.keys) where !wanted.contains(name) {
            guard let channel = channels.removeValue(forKey: name) else { continue }
            switch channel.status {
            case .joining(let id, _), .joined(let id):
                if connections[id]?.phase == .ready { parts[id, default: []].append(name) }
            default:
                break
            }
            if let id = channel.status.connection { connections[id]?.channels.remove(name) }
            output.events.append(.parted(channel: name))
        }
        for id in Array(connections.keys) where connections[id]?.phase == .draining {
            guard let gone = connections[id]?.drainJoined.subtracting(wanted), !gone.isEmpty else { continue }
            connections[id]?.drainJoined.subtract(gone)
            parts[id, default: []].append(contentsOf: gone)
        }
        for (id, names) in parts.sorted(by: { $0.key < $1.key }) {
            guard let outbox = connections[id]?.outbox else { continue }
            output.actions.append(.send(outbox, lines: PoolState.lines("PART", names.sorted()), connection: id))
        }
        for name in wanted where channels[name] == nil {
            channels[name] = Channel()
        }
    }

    /// Turns overdue JOINs into retries with backoff (IRC-J2).
    private mutating func expireJoins(now: ContinuousClock.Instant, into output: inout TickOutput) {
        for (name, channel) in channels {
            guard case .joining(let id, let deadline) = channel.status, deadline <= now else { continue }
            var updated = channel
            updated.failedJoins += 1
            let delay = configuration.joinRetryBackoff.delay(attempt: updated.failedJoins, using: &generator)
            updated.status = .assigned(connection: id, notBefore: now + delay)
            channels[name] = updated
            let reason = ChatPoolError(
                .joinTimedOut,
                message: "no JOIN confirmation within \(configuration.joinTimeout); retrying in \(delay.roundedDescription)"
            )
            output.events.append(.joinFailed(channel: name, reason: reason))
        }
    }

    /// Makes suspended channels whose retry time came eligible again.
    private mutating func releaseSuspended(now: ContinuousClock.Instant) {
        for (name, channel) in channels {
            if case .suspended(let retryAt) = channel.status, retryAt <= now {
                channels[name]?.status = .unassigned
            }
        }
    }

    /// Whether a new connection may open at `now` (IRC-J5, IRC-R3).
    private func canOpen(now: ContinuousClock.Instant) -> Bool {
        nextOpenAt.map { $0 <= now } ?? true
    }

    /// The earliest instant a new connection may open; nil when nothing holds it back.
    private var nextOpenAt: ContinuousClock.Instant? {
        let paced = lastOpenAt.map { $0 + configuration.connectionOpenInterval }
        switch (paced, backoffUntil) {
        case (let paced?, let backoff?): return max(paced, backoff)
        case (let paced?, nil): return paced
        case (nil, let backoff?): return backoff
        case (nil, nil): return nil
        }
    }

    /// Whether one connection stays open without channels: for a bot account, or while channels are wanted.
    private var keepsIdleConnection: Bool {
        !self.isAnonymous || !self.wanted.isEmpty
    }

    /// After a login change, drains one connection opened under an earlier login at a time, make-before-break
    /// like a RECONNECT, once a connection under the new login is logged in: the old one reads on until each of its
    /// channels is joined under the new login (with no deadline, unlike a RECONNECT, since nothing forces it out),
    /// so a new login that fails, or JOINs that take long under the rate limit, never leave a channel unread.
    private mutating func replaceOutdatedLogin(now: ContinuousClock.Instant) {
        guard !connections.values.contains(where: { $0.phase == .draining }) else { return }
        guard connections.values.contains(where: { $0.phase == .ready && $0.loginGeneration == loginGeneration }) else { return }
        let outdated = connections.values.filter { $0.phase == .ready && $0.loginGeneration < loginGeneration }
        guard let id = outdated.map(\.id).min(), reconnectRequested(connection: id, now: now) else { return }
        connections[id]?.closeReason = ChatPoolError(.loginChanged, message: "the pool's login changed; replaced")
    }

    /// Puts unassigned channels on connections with room, opening at most one new connection.
    /// - Returns: Whether channels (or the pool's one idle connection) still wait for a new connection.
    private mutating func assignChannels(now: ContinuousClock.Instant, into output: inout TickOutput) -> Bool {
        let pending = channels.compactMap { $0.value.status == .unassigned ? $0.key : nil }.sorted()
        let capacity = max(1, configuration.maxChannelsPerConnection)
        var index = 0
        // Connections under an earlier login get no new channels: they are about to be replaced.
        let live = connections.values.filter { ($0.phase == .connecting || $0.phase == .ready) && $0.loginGeneration == loginGeneration }
            .map(\.id).sorted()
        for id in live where index < pending.count {
            let room = capacity - (connections[id]?.channels.count ?? capacity)
            guard room > 0 else { continue }
            let end = min(pending.count, index + room)
            for name in pending[index..<end] { assign(name, to: id) }
            index = end
        }
        // Keep one connection for a bot account (it may have to post); an anonymous pool with nothing to read stays closed.
        guard index < pending.count || (live.isEmpty && self.keepsIdleConnection) else { return false }
        // Nothing opens before the login is known; `changeLogin` wakes the pool.
        guard !login.isUndecided else { return false }
        guard canOpen(now: now) else { return true }
        let id = nextConnectionID
        nextConnectionID += 1
        connections[id] = Connection(id: id, loginGeneration: loginGeneration)
        lastOpenAt = now
        let end = min(pending.count, index + capacity)
        for name in pending[index..<end] { assign(name, to: id) }
        output.actions.append(.open(connection: id, refreshToken: refreshToken, login: login))
        return end < pending.count
    }

    /// Assigns a channel to a connection, JOIN not sent yet.
    private mutating func assign(_ name: String, to id: Int) {
        channels[name]?.status = .assigned(connection: id, notBefore: nil)
        connections[id]?.channels.insert(name)
    }

    /// Sends the JOINs that are due on logged-in connections, as many as the token bucket allows (IRC-J3, IRC-L4).
    private mutating func sendJoins(now: ContinuousClock.Instant, into output: inout TickOutput) {
        let ready = connections.values.filter { $0.phase == .ready && $0.outbox != nil }.sorted { $0.id < $1.id }
        for connection in ready {
            let due = connection.channels.filter { name in
                guard case .assigned(_, let notBefore) = channels[name]?.status else { return false }
                return (notBefore ?? now) <= now
            }.sorted()
            guard !due.isEmpty, let outbox = connection.outbox else { continue }
            let count = min(due.count, joinBucket.available(at: now))
            guard count > 0, joinBucket.take(count, at: now) else { return }
            let names = Array(due.prefix(count))
            let deadline = now + configuration.joinTimeout
            for name in names { channels[name]?.status = .joining(connection: connection.id, deadline: deadline) }
            output.actions.append(.send(outbox, lines: PoolState.lines("JOIN", names), connection: connection.id))
        }
    }

    /// Closes draining connections once their channels are confirmed elsewhere, or at the overlap bound (IRC-R2).
    private mutating func finishOverlaps(now: ContinuousClock.Instant, into output: inout TickOutput) {
        for (id, connection) in connections where connection.phase == .draining {
            let waiting = connection.drainJoined.contains { name in
                guard let channel = channels[name] else { return false }
                switch channel.status {
                case .joined, .suspended: return false
                default: return true
                }
            }
            let forcedOut = connection.closeReason?.code != .loginChanged && (connection.drainDeadline ?? now) <= now
            guard !waiting || forcedOut else { continue }
            let reason = connection.closeReason ?? ChatPoolError(.reconnectRequested, message: "replaced after RECONNECT")
            connections[id]?.phase = .closing
            output.actions.append(.close(connection.outbox, connection: id, reason: reason))
        }
    }

    /// Closes logged-in connections without channels while another connection is live.
    private mutating func closeIdleConnections(into output: inout TickOutput) {
        var live = connections.values.count { $0.phase == .connecting || $0.phase == .ready }
        // Those under an earlier login first, then the newest.
        let idle = connections.values.filter { $0.phase == .ready && $0.channels.isEmpty }
            .sorted { ($0.loginGeneration, -$0.id) < ($1.loginGeneration, -$1.id) }.map(\.id)
        for id in idle where live > 1 || !self.keepsIdleConnection {
            let reason = ChatPoolError(.idle, message: "no channels left on this connection")
            connections[id]?.phase = .closing
            connections[id]?.closeReason = reason
            output.actions.append(.close(connections[id]?.outbox, connection: id, reason: reason))
            live -= 1
        }
    }

    /// The next instant something is due: a JOIN deadline or retry, a token, a connection opening, an overlap bound.
    private func nextDeadline(now: ContinuousClock.Instant, needsConnection: Bool) -> ContinuousClock.Instant? {
        var deadline: ContinuousClock.Instant?
        func consider(_ instant: ContinuousClock.Instant) {
            deadline = min(deadline ?? instant, instant)
        }
        var joinsWaitForTokens = false
        for channel in channels.values {
            switch channel.status {
            case .joining(_, let due):
                consider(due)
            case .assigned(let id, let notBefore):
                if let notBefore, notBefore > now {
                    consider(notBefore)
                } else if connections[id]?.phase == .ready {
                    joinsWaitForTokens = true
                }
            case .suspended(let retryAt):
                consider(retryAt)
            case .unassigned, .joined:
                break
            }
        }
        if joinsWaitForTokens { consider(joinBucket.nextAvailable(at: now)) }
        if needsConnection, let nextOpenAt { consider(nextOpenAt) }
        for connection in connections.values where connection.phase == .draining {
            if let drainDeadline = connection.drainDeadline { consider(drainDeadline) }
        }
        return deadline.map { max($0, now + .milliseconds(1)) }
    }

    /// `JOIN`/`PART` lines for `names`, several channels per line up to `maximumLineLength` bytes.
    static func lines(_ command: String, _ names: [String]) -> [String] {
        var lines: [String] = []
        var current: [String] = []
        var length = command.utf8.count + 1
        for name in names {
            let added = name.utf8.count + 2
            if !current.isEmpty && length + added > maximumLineLength {
                lines.append("\(command) " + current.map { "#" + $0 }.joined(separator: ","))
                current = []
                length = command.utf8.count + 1
            }
            current.append(name)
            length += added
        }
        if !current.isEmpty { lines.append("\(command) " + current.map { "#" + $0 }.joined(separator: ",")) }
        return lines
    }
}

extension Duration {
    /// The duration rounded to milliseconds, e.g. `1.25 s`, for messages.
    var roundedDescription: String {
        let milliseconds = Int((secondsValue * 1000).rounded())
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let seconds = Double(milliseconds) / 1000
        return "\(seconds) s"
    }
}
