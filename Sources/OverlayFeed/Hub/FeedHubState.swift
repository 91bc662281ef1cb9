import NIOCore

/// What a client's consumer is handed next.
enum FeedDelivery: Sendable {
    /// An encoded event.
    case event(ByteBuffer)
    /// A heartbeat comment.
    case ping
}

/// What a consumer's poll of its client finds.
enum FeedTake: Sendable {
    /// The client is gone: the stream ends.
    case finished
    /// Something to send.
    case item(FeedDelivery)
    /// Nothing yet.
    case nothing
}

/// Why a client left the hub.
enum FeedRemoval: String, Sendable {
    /// The consumer stopped iterating, was cancelled or released its subscription.
    case consumerEnded = "consumer_ended"
    /// ``FeedHub/close(topic:)`` ended the topic.
    case closed
    /// The client's pending events would have exceeded the buffer limit.
    case bufferFull = "buffer_full"
    /// The client's oldest pending event waited longer than the stall timeout.
    case stalled
    /// The snapshot could not be read; the client reconnects for a new one.
    case snapshotFailed = "snapshot_failed"
    /// The hub shut down.
    case shutdown

    /// Whether the hub dropped a slow client (counted in `tumulte_sse_dropped_total`).
    var isDrop: Bool { self == .bufferFull || self == .stalled }
}

/// An event waiting in a client's buffer.
struct FeedPending {
    /// The poll of the event.
    var pollID: String
    /// The kind of the event.
    var kind: FeedEvent.Kind
    /// The version of the event.
    var version: Int
    /// The encoded bytes, shared by every client of the fan-out.
    var bytes: ByteBuffer
    /// When the client first had an event of this slot pending (a replaced tally keeps its predecessor's time).
    var since: Duration
}

/// One connected client. A class so that it is mutated in place inside the hub's lock; it never leaves it.
final class FeedClient {
    /// The topic the client follows.
    let topic: String
    /// The client's `Last-Event-ID`, checked against its snapshot.
    let resumeFrom: FeedEventID?
    /// Events not yet taken by the consumer, oldest first.
    var queue: [FeedPending] = []
    /// Since when a heartbeat has been due, if one is.
    var pingSince: Duration?
    /// The last event queued or sent, per poll.
    var marks: [String: FeedMark] = [:]
    /// The consumer, suspended until something arrives; only set while nothing is pending.
    var waiter: CheckedContinuation<FeedDelivery?, Never>?
    /// Called once if the hub drops the client for being slow (see ``FeedHub/subscribe(topic:lastEventID:onDrop:)``).
    let onDrop: (@Sendable () -> Void)?

    /// Creates a client of `topic` that resumes after `resumeFrom`.
    init(topic: String, resumeFrom: FeedEventID?, onDrop: (@Sendable () -> Void)?) {
        self.topic = topic
        self.resumeFrom = resumeFrom
        self.onDrop = onDrop
        if let resumeFrom { self.marks[resumeFrom.pollID] = FeedMark(version: resumeFrom.version) }
    }

    /// When the oldest pending thing (event or heartbeat) was queued; nil when nothing is pending.
    var oldestPending: Duration? {
        let oldestEvent = self.queue.lazy.map(\.since).min()
        switch (oldestEvent, self.pingSince) {
        case (let event?, let ping?): return min(event, ping)
        case (let event, let ping): return event ?? ping
        }
    }
}

/// The coalescing state of one poll.
struct FeedPollState {
    /// The last event fanned out for the poll (by an update or a publish).
    var delivered: FeedMark?
    /// The newest version a change notice announced.
    var noticed: Int?
    /// A notice arrived that no update has covered yet.
    var dirty = false
    /// An update call is running.
    var inFlight = false
    /// The earliest time of the next update call (the start of the last one plus the coalescing interval).
    var nextUpdate: Duration = .zero
    /// The last time the poll was updated or published, for eviction.
    var lastActivity: Duration = .zero
}

/// Work to do once the lock is released: consumers to resume, removals to log and count, the loop to wake.
struct FeedEffects: Sendable {
    /// A removed client, for logs and metrics.
    struct Removal: Sendable {
        /// The client's number.
        var id: UInt64
        /// Its topic.
        var topic: String
        /// Why it left.
        var reason: FeedRemoval
        /// How many events it had pending.
        var pending: Int
        /// The client's drop hook, set only when it was dropped for being slow.
        var onDrop: (@Sendable () -> Void)?
    }

    /// Consumers to resume, with what they receive (nil: the stream ends).
    var resumes: [(CheckedContinuation<FeedDelivery?, Never>, FeedDelivery?)] = []
    /// Clients that left.
    var removals: [Removal] = []
    /// The loop must re-plan (new work or an earlier deadline).
    var wake = false
}

/// The hub's whole state, guarded by one mutex: clients by topic, per-poll coalescing, timers.
struct FeedHubState {
    /// The life cycle of the hub.
    enum Phase {
        /// `run()` has not started; clients and notices are accepted and wait for it.
        case idle
        /// `run()` is running.
        case running
        /// `run()` has returned; every stream is finished and nothing is accepted.
        case finished
    }

    /// What the loop does after one planning step.
    struct Step: Sendable {
        /// Stop the loop.
        var stop = false
        /// Polls whose update call starts now.
        var updates: [String] = []
        /// When to plan again at the latest (nil: only when woken).
        var deadline: Duration?
    }

    /// The hub's tuning.
    let configuration: FeedHub.Configuration
    /// The life cycle.
    var phase = Phase.idle
    /// Graceful shutdown was requested; the loop stops at its next step.
    var stopRequested = false
    /// The number the next client gets.
    var nextClientID: UInt64 = 0
    /// Connected clients by number.
    var clients: [UInt64: FeedClient] = [:]
    /// Client numbers by topic.
    var topics: [String: Set<UInt64>] = [:]
    /// Coalescing state by poll id.
    var polls: [String: FeedPollState] = [:]
    /// When the next heartbeat is due.
    var nextHeartbeat: Duration
    /// No client can have stalled before this time (nil: nothing is pending anywhere).
    var stallCheck: Duration?

    /// Creates an empty state.
    init(configuration: FeedHub.Configuration) {
        self.configuration = configuration
        self.nextHeartbeat = configuration.heartbeatInterval
    }

    // MARK: Clients

    /// Registers a client and returns its number; a client registered after shutdown is never stored.
    mutating func addClient(topic: String, resumeFrom: FeedEventID?, onDrop: (@Sendable () -> Void)? = nil) -> UInt64 {
        let id = self.nextClientID
        self.nextClientID += 1
        guard self.phase != .finished else { return id }
        self.clients[id] = FeedClient(topic: topic, resumeFrom: resumeFrom, onDrop: onDrop)
        self.topics[topic, default: []].insert(id)
        return id
    }

    /// Removes a client, finishing its stream and releasing its buffer.
    mutating func remove(_ id: UInt64, reason: FeedRemoval, effects: inout FeedEffects) {
        guard let client = self.clients.removeValue(forKey: id) else { return }
        if var ids = self.topics.removeValue(forKey: client.topic) {
            ids.remove(id)
            if !ids.isEmpty { self.topics[client.topic] = ids }
        }
        if let waiter = client.waiter { effects.resumes.append((waiter, nil)) }
        effects.removals.append(
            .init(id: id, topic: client.topic, reason: reason, pending: client.queue.count, onDrop: reason.isDrop ? client.onDrop : nil)
        )
    }

    /// Removes every client of `topic`.
    mutating func close(topic: String, effects: inout FeedEffects) {
        for id in self.topics[topic] ?? [] { self.remove(id, reason: .closed, effects: &effects) }
    }

    /// What a client's consumer gets without waiting: events first (oldest first), then a due heartbeat.
    mutating func take(_ id: UInt64) -> FeedTake {
        guard let client = self.clients[id] else { return .finished }
        if !client.queue.isEmpty { return .item(.event(client.queue.removeFirst().bytes)) }
        if client.pingSince != nil {
            client.pingSince = nil
            return .item(.ping)
        }
        return .nothing
    }

    /// Like ``take(_:)``, but parks `waiter` when nothing is pending (and returns `.nothing`); otherwise the
    /// caller resumes `waiter` with the result at once.
    mutating func park(_ id: UInt64, waiter: CheckedContinuation<FeedDelivery?, Never>) -> FeedTake {
        // A second consumer of one client (a copied iterator) ends at once rather than stealing the waiter.
        if self.clients[id]?.waiter != nil { return .finished }
        let take = self.take(id)
        if case .nothing = take { self.clients[id]?.waiter = waiter }
        return take
    }

    /// Queues `event` for one client, or hands it over when the consumer waits; drops the client when its
    /// buffer would exceed the limit. A pending `poll.tally` of the same poll is replaced, not queued behind.
    mutating func deliver(_ event: FeedEvent, bytes: ByteBuffer, to id: UInt64, now: Duration, effects: inout FeedEffects) {
        guard let client = self.clients[id] else { return }
        if let mark = client.marks[event.pollID], !mark.admits(event) { return }
        client.marks[event.pollID] = FeedMark(event)
        if let waiter = client.waiter {
            client.waiter = nil
            effects.resumes.append((waiter, .event(bytes)))
            return
        }
        var since = now
        if event.kind == .tally,
            let index = client.queue.firstIndex(where: { $0.pollID == event.pollID && $0.kind == .tally })
        {
            since = client.queue.remove(at: index).since
        }
        guard client.queue.count < self.configuration.clientBufferLimit else {
            self.remove(id, reason: .bufferFull, effects: &effects)
            return
        }
        client.queue.append(FeedPending(pollID: event.pollID, kind: event.kind, version: event.version, bytes: bytes, since: since))
        self.notePending(since: since, effects: &effects)
    }

    /// Puts a client's snapshot in front of whatever live events queued while it was read, and drops the
    /// queued events of that poll the snapshot already covers. A snapshot not newer than the client's
    /// `Last-Event-ID` is skipped.
    mutating func installSnapshot(_ event: FeedEvent, bytes: ByteBuffer, for id: UInt64, now: Duration, effects: inout FeedEffects) {
        guard let client = self.clients[id] else { return }
        if let resumeFrom = client.resumeFrom, resumeFrom.pollID == event.pollID,
            !FeedMark(version: resumeFrom.version).admits(event)
        {
            return
        }
        let mark = FeedMark(event)
        client.queue.removeAll { $0.pollID == event.pollID && !mark.admits($0.kind, version: $0.version) }
        let snapshot = FeedPending(pollID: event.pollID, kind: event.kind, version: event.version, bytes: bytes, since: now)
        client.queue.insert(snapshot, at: 0)
        let newest = client.queue.last { $0.pollID == event.pollID }!
        client.marks[event.pollID] = FeedMark(version: newest.version, isEnd: newest.kind == .end)
        if let waiter = client.waiter {
            client.waiter = nil
            effects.resumes.append((waiter, .event(client.queue.removeFirst().bytes)))
        } else {
            self.notePending(since: now, effects: &effects)
        }
    }

    /// Sends `event` to every client of `topics`.
    mutating func fanOut(_ event: FeedEvent, bytes: ByteBuffer, topics: [String], now: Duration, effects: inout FeedEffects) {
        for topic in Set(topics) {
            for id in self.topics[topic] ?? [] {
                self.deliver(event, bytes: bytes, to: id, now: now, effects: &effects)
            }
        }
    }

    /// Remembers that something became pending at `since`, so the loop checks for a stall in time.
    private mutating func notePending(since: Duration, effects: inout FeedEffects) {
        let deadline = since + self.configuration.stallTimeout
        if let current = self.stallCheck, current <= deadline { return }
        self.stallCheck = deadline
        effects.wake = true
    }

    // MARK: Polls

    /// Records a change notice; returns whether the loop must wake to plan an update.
    mutating func notice(pollID: String, version: Int) -> Bool {
        guard self.phase != .finished else { return false }
        var poll = self.polls[pollID] ?? FeedPollState()
        if let delivered = poll.delivered, version <= delivered.version { return false }
        if poll.dirty || poll.inFlight, let noticed = poll.noticed, version <= noticed { return false }
        poll.noticed = max(poll.noticed ?? version, version)
        let wake = !poll.dirty && !poll.inFlight
        poll.dirty = true
        self.polls[pollID] = poll
        return wake
    }

    /// Fans out an explicit event and records it as the poll's newest.
    mutating func publish(_ event: FeedEvent, bytes: ByteBuffer, topics: [String], now: Duration, effects: inout FeedEffects) {
        guard self.phase != .finished else { return }
        self.recordDelivered(event, now: now)
        self.fanOut(event, bytes: bytes, topics: topics, now: now, effects: &effects)
    }

    /// Ends an update call: fans out its event unless the poll already moved past it, and asks the loop to
    /// plan again when notices arrived meanwhile that the event does not cover.
    mutating func completeUpdate(
        pollID: String,
        update: FeedUpdate?,
        bytes: ByteBuffer?,
        now: Duration,
        effects: inout FeedEffects
    ) {
        self.polls[pollID]?.inFlight = false
        if let update, let bytes, self.phase != .finished {
            let event = update.event
            if self.polls[event.pollID]?.delivered?.admits(event) ?? true {
                self.recordDelivered(event, now: now)
                self.fanOut(event, bytes: bytes, topics: update.topics, now: now, effects: &effects)
            }
        }
        if let poll = self.polls[pollID], poll.dirty { effects.wake = true }
    }

    /// Moves a poll's delivered mark forward (when `event` follows it) and clears a notice it covers.
    private mutating func recordDelivered(_ event: FeedEvent, now: Duration) {
        var poll = self.polls[event.pollID] ?? FeedPollState()
        if poll.delivered?.admits(event) ?? true { poll.delivered = FeedMark(event) }
        if poll.dirty, let noticed = poll.noticed, let delivered = poll.delivered, noticed <= delivered.version {
            poll.dirty = false
        }
        poll.lastActivity = now
        self.polls[event.pollID] = poll
    }

    // MARK: Loop

    /// One planning step of the loop: heartbeats, stalled clients, eviction of quiet polls, and the update
    /// calls that are due.
    mutating func step(now: Duration, effects: inout FeedEffects) -> Step {
        if self.stopRequested { return Step(stop: true) }
        if now >= self.nextHeartbeat {
            self.heartbeat(now: now, effects: &effects)
            self.evictQuietPolls(now: now)
            self.nextHeartbeat = now + self.configuration.heartbeatInterval
        }
        if let stallCheck = self.stallCheck, stallCheck <= now { self.dropStalled(now: now, effects: &effects) }
        var updates: [String] = []
        var deadline = min(self.nextHeartbeat, self.stallCheck ?? self.nextHeartbeat)
        for (pollID, poll) in self.polls where poll.dirty && !poll.inFlight {
            if poll.nextUpdate <= now {
                updates.append(pollID)
            } else {
                deadline = min(deadline, poll.nextUpdate)
            }
        }
        for pollID in updates {
            self.polls[pollID]?.dirty = false
            self.polls[pollID]?.inFlight = true
            self.polls[pollID]?.nextUpdate = now + self.configuration.coalesceInterval
            self.polls[pollID]?.lastActivity = now
        }
        return Step(updates: updates, deadline: deadline)
    }

    /// Queues a heartbeat for every client (or hands it to a waiting consumer); one pending heartbeat is enough.
    private mutating func heartbeat(now: Duration, effects: inout FeedEffects) {
        for client in self.clients.values {
            if let waiter = client.waiter {
                client.waiter = nil
                effects.resumes.append((waiter, .ping))
            } else if client.pingSince == nil {
                client.pingSince = now
                self.notePending(since: now, effects: &effects)
            }
        }
    }

    /// Drops every client whose oldest pending event waited longer than the stall timeout, and plans the next check.
    private mutating func dropStalled(now: Duration, effects: inout FeedEffects) {
        var next: Duration?
        var stalled: [UInt64] = []
        for (id, client) in self.clients {
            guard let oldest = client.oldestPending else { continue }
            let deadline = oldest + self.configuration.stallTimeout
            if deadline <= now {
                stalled.append(id)
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        for id in stalled { self.remove(id, reason: .stalled, effects: &effects) }
        self.stallCheck = next
    }

    /// Forgets polls that were neither noticed nor updated for the retention period.
    private mutating func evictQuietPolls(now: Duration) {
        let retention = self.configuration.pollRetention
        self.polls = self.polls.filter { _, poll in poll.dirty || poll.inFlight || poll.lastActivity + retention > now }
    }

    /// Ends the hub: finishes every stream and accepts nothing more.
    mutating func finish(effects: inout FeedEffects) {
        self.phase = .finished
        for id in Array(self.clients.keys) { self.remove(id, reason: .shutdown, effects: &effects) }
        self.polls = [:]
    }
}
