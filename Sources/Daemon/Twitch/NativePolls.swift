import Core
import EventSub
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import Storage
import Synchronization

/// Native Twitch polls: creates them over Helix for the channels that can run one, ends them early, holds the
/// EventSub session of such a channel when it gets one of its two seats (``Seats``), and turns `channel.poll.progress` and `channel.poll.end` into the channel's
/// absolute counts in Redis (SUB-2), which the live feed and the final result read like chat votes.
///
/// After any gap (a new session after a drop, or a restart) the running native polls are re-read with
/// `GET /helix/polls` (ES-7, API-P5); before a poll's result is frozen, a channel whose end event has not
/// arrived is read the same way.
final class NativePolls: Service, Sendable {
    /// The poll events subscribed to on every session (SUB-1 … 3).
    static let subscriptionTypes = ["channel.poll.begin", "channel.poll.progress", "channel.poll.end"]

    /// A native poll this daemon follows.
    struct Tracked: Sendable {
        /// Our poll's id.
        var pollID: String
        /// The channel's login.
        var login: String
        /// The channel's row id.
        var channelID: UUID
    }

    /// How EventSub notifications arrive.
    enum Delivery: Sendable {
        /// One WebSocket session per channel.
        case websocket(EventSubConnection.Configuration)
        /// Twitch posts to `callback` (`POST /eventsub/webhook`), signing with `secret`; subscriptions use an app token.
        case webhook(callback: String, secret: String)
    }

    /// Which daemons hold a channel's EventSub session: `count` seats per channel, leases renewed on every pass
    /// (DESIGN §5). Twitch refuses a fourth session per token (ES-10); two keep a spare for a restarting daemon,
    /// and a second listener while one is down.
    struct Seats: Sendable {
        /// The leases, in the shared Redis.
        var lease: RedisLease
        /// This daemon, as the seats' owner.
        var owner = UUID().uuidString.lowercased()
        /// Daemons per channel.
        var count = 2
        /// How long a seat lasts without renewal; renewed every third of it.
        var duration: Duration = .seconds(30)
    }

    /// A running session and the seat it is held under.
    private struct Session {
        var stop: AsyncStream<Void>.Continuation
        var seat: String
    }

    private struct State {
        var appToken: (token: String, expiresAt: Date)?
        var byTwitchPoll: [String: Tracked] = [:]
        var ended: Set<String> = []
        /// By channel id (``sessionKey(_:)``), like `ready` and `elsewhere`.
        var sessions: [String: Session] = [:]
        var ready: Set<String> = []
        /// Channels whose seats other daemons hold.
        var elsewhere: Set<String> = []
    }

    private let helix: HelixClient
    private let oauth: TwitchOAuthClient
    private let credentials: TwitchCredentials
    private let channels: ChannelStore
    private let polls: PollStore
    private let store: TallyStore
    private let delivery: Delivery
    private let seats: Seats
    private let reconcileInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = WakeSignal()

    /// Creates the component.
    init(
        helix: HelixClient,
        oauth: TwitchOAuthClient,
        credentials: TwitchCredentials,
        channels: ChannelStore,
        polls: PollStore,
        store: TallyStore,
        delivery: Delivery,
        seats: Seats,
        reconcileInterval: Duration = .seconds(30),
        logger: Logger
    ) {
        self.helix = helix
        self.oauth = oauth
        self.credentials = credentials
        self.channels = channels
        self.polls = polls
        self.store = store
        self.delivery = delivery
        self.seats = seats
        self.reconcileInterval = reconcileInterval
        self.logger = logger
    }

    // MARK: Polls

    /// Why the channel cannot run a native poll now, or nil when it can.
    func refusal(for channel: ChannelRecord) -> String? {
        if !channel.isConnected || channel.twitchUserID == nil {
            return "\(channel.login) has no connected Twitch account, which native polls need"
        }
        if channel.needsReauth { return "\(channel.login) must connect its Twitch account again" }
        if channel.broadcasterType != "affiliate" && channel.broadcasterType != "partner" {
            return "\(channel.login) is neither affiliate nor partner, so Twitch lets it run no poll"
        }
        return nil
    }

    /// Creates the native poll of each native channel of a newly opened poll, in parallel. A channel whose poll
    /// cannot be created is switched to chat voting in `poll_channels`, with the reason.
    /// - Returns: The Twitch poll of each channel that has one, and why the others vote in chat (by channel id).
    func begin(_ record: PollRecord) async -> (created: [UUID: String], fallbacks: [UUID: String]) {
        await withTaskGroup(of: (UUID, Result<String, NativeFallback>).self) { group in
            for channel in record.channels where channel.mode == .native {
                group.addTask { (channel.channelID, await self.begin(record, channel: channel)) }
            }
            var created: [UUID: String] = [:]
            var fallbacks: [UUID: String] = [:]
            for await (channelID, result) in group {
                switch result {
                case .success(let id): created[channelID] = id
                case .failure(let fallback): fallbacks[channelID] = fallback.reason
                }
            }
            return (created, fallbacks)
        }
    }

    /// Why a channel votes in chat although a native poll was wanted.
    struct NativeFallback: Error {
        /// The sentence kept on the poll.
        let reason: String
    }

    /// Creates one channel's native poll: its id, or why the channel votes in chat instead.
    private func begin(_ record: PollRecord, channel: PollChannelRecord) async -> Result<String, NativeFallback> {
        var created: (poll: HelixPoll, broadcasterID: String)?
        do {
            guard let current = try await self.channels.channel(channel.login), let broadcasterID = current.twitchUserID else {
                throw TwitchAPIError(.notFound, status: nil, "the channel has no Twitch account any more")
            }
            // Twitch's poll starts now and must not outlast ours: its length is what remains, whole seconds down.
            let remaining = Int(record.endsAt.timeIntervalSinceNow.rounded(.down))
            let duration = min(HelixClient.PollLimits.duration.upperBound, max(HelixClient.PollLimits.duration.lowerBound, remaining))
            let poll = try await self.withToken(channel.channelID) { token in
                try await self.helix.createPoll(
                    broadcasterID: broadcasterID,
                    title: record.title,
                    choices: record.options,
                    duration: duration,
                    token: token
                )
            }
            created = (poll, broadcasterID)
            // Tracked before it is written, so no event of it is missed meanwhile.
            self.state.withLock {
                $0.byTwitchPoll[poll.id] = Tracked(
                    pollID: record.idString,
                    login: channel.login.value,
                    channelID: channel.channelID
                )
            }
            try await self.polls.setNativePoll(poll.id, pollID: record.id, channelID: channel.channelID)
            self.logger.info("native poll started", metadata: ["poll.id": "\(record.idString)", "twitch.channel": "\(channel.login)"])
            return .success(poll.id)
        } catch {
            let reason = Self.reason(error)
            self.logger.warning(
                "native poll not created; the channel votes in chat",
                metadata: ["poll.id": "\(record.idString)", "twitch.channel": "\(channel.login)", "twitch.error": "\(reason)"]
            )
            if let created {
                // Created on Twitch but not recorded here: end it, so no vote goes where nothing counts it.
                self.state.withLock { _ = $0.byTwitchPoll.removeValue(forKey: created.poll.id) }
                _ = try? await self.withToken(channel.channelID) { token in
                    try await self.helix.endPoll(broadcasterID: created.broadcasterID, pollID: created.poll.id, token: token)
                }
            }
            try? await self.polls.fallBackToChat(pollID: record.id, channelID: channel.channelID, reason: reason)
            return .failure(NativeFallback(reason: reason))
        }
    }

    /// Follows the native polls of an unfinished poll (after a start elsewhere or a restart), and re-reads their counts.
    func track(_ record: PollRecord) async {
        var added: [String] = []
        for channel in record.channels where channel.mode == .native {
            guard let twitchPollID = channel.twitchPollID else { continue }
            let isNew = self.state.withLock { state -> Bool in
                guard state.byTwitchPoll[twitchPollID] == nil else { return false }
                state.byTwitchPoll[twitchPollID] = Tracked(
                    pollID: record.idString,
                    login: channel.login.value,
                    channelID: channel.channelID
                )
                return true
            }
            if isNew { added.append(twitchPollID) }
        }
        for id in added { await self.resync(twitchPollID: id) }
    }

    /// Stops following a finished poll's native polls.
    func untrack(pollID: String) {
        self.state.withLock { state in
            for (id, tracked) in state.byTwitchPoll where tracked.pollID == pollID {
                state.byTwitchPoll[id] = nil
                state.ended.remove(id)
            }
        }
    }

    /// Ends the poll's native polls that still run, their results staying visible on Twitch (API-P4), and applies
    /// their last counts; a poll that had already ended is read instead. All channels at once. For end-now and
    /// cancel, and before a poll's count is frozen (Twitch's poll may have started a moment after ours).
    func settle(_ record: PollRecord) async {
        let pending = record.channels.filter { channel in
            guard channel.mode == .native, let id = channel.twitchPollID else { return false }
            return !self.state.withLock { $0.ended.contains(id) }
        }
        await withTaskGroup(of: Void.self) { group in
            for channel in pending {
                guard let id = channel.twitchPollID else { continue }
                group.addTask { await self.finalCounts(twitchPollID: id, record: record, channel: channel) }
            }
        }
    }

    /// Ends a native poll if it still runs and applies its counts; reads them when it had already ended.
    private func finalCounts(twitchPollID: String, record: PollRecord, channel: PollChannelRecord) async {
        do {
            let broadcasterID = try await self.broadcasterID(channel)
            let ended = try await self.withToken(channel.channelID) { token in
                try await self.helix.endPoll(broadcasterID: broadcasterID, pollID: twitchPollID, token: token)
            }
            if let ended {
                await self.apply(ended, pollID: record.idString, login: channel.login.value)
                return
            }
        } catch {
            self.logger.warning(
                "native poll not ended on Twitch",
                metadata: ["poll.id": "\(record.idString)", "twitch.channel": "\(channel.login)", "twitch.error": "\(error)"]
            )
        }
        await self.resync(twitchPollID: twitchPollID, record: record, channel: channel)
    }

    // MARK: Sessions

    /// Keeps one EventSub session per channel that can run native polls and has a seat here, until shutdown.
    func run() async throws {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    if case .websocket = self.delivery { await self.renewSeats() }
                    do {
                        let eligible = try await self.channels.list().filter { self.refusal(for: $0) == nil }
                        if case .webhook(let callback, let secret) = self.delivery {
                            try await self.ensureWebhookSubscriptions(for: eligible, callback: callback, secret: secret)
                            await self.wake.wait(until: .now + self.reconcileInterval)
                            continue
                        }
                        let wanted = Set(eligible.map(Self.sessionKey))
                        let stopping = self.state.withLock { state in
                            state.elsewhere.formIntersection(wanted)
                            return state.sessions.keys.filter { !wanted.contains($0) }
                        }
                        await self.stopSessions(stopping)
                        for channel in eligible where self.state.withLock({ $0.sessions[Self.sessionKey(channel)] == nil }) {
                            await self.takeSeat(channel, group: &group)
                        }
                    } catch {
                        self.logger.debug("cannot list channels for EventSub yet", metadata: ["twitch.error": "\(error)"])
                    }
                    await self.wake.wait(until: .now + min(self.reconcileInterval, self.seats.duration / 3))
                }
            } onGracefulShutdown: {
                self.wake.signal()
            }
            // Seats given back at once let another daemon take over without waiting for them to expire.
            await self.stopSessions(self.state.withLock { Array($0.sessions.keys) })
        }
    }

    /// Renews the seat of every running session before anything else, so a slow or unreachable PostgreSQL cannot let
    /// them lapse; a session whose seat another daemon took meanwhile is stopped (ES-10). Redis errors keep what runs.
    private func renewSeats() async {
        let held = self.state.withLock { $0.sessions.map { ($0.key, $0.value.seat) } }
        var lost: [String] = []
        for (key, seat) in held {
            do {
                if try await !self.seats.lease.acquire(seat, owner: self.seats.owner, milliseconds: self.seatMilliseconds) {
                    lost.append(key)
                }
            } catch {
                self.logger.debug("EventSub seat not renewed", metadata: ["eventsub.seat": "\(seat)", "redis.error": "\(error)"])
            }
        }
        await self.stopSessions(lost)
    }

    /// Starts `channel`'s session if one of its seats is free, or notes that other daemons hold them.
    private func takeSeat(_ channel: ChannelRecord, group: inout DiscardingTaskGroup) async {
        let key = Self.sessionKey(channel)
        let seats = self.seatKeys(channel)
        let seat: Int?
        do {
            seat = try await self.seats.lease.acquireSeat(seats, owner: self.seats.owner, milliseconds: self.seatMilliseconds)
        } catch {
            // Redis unreachable: nothing starts, and who holds the channel is unknown.
            self.state.withLock { _ = $0.elsewhere.remove(key) }
            self.logger.debug("EventSub seat not taken", metadata: ["twitch.channel": "\(channel.login)", "redis.error": "\(error)"])
            return
        }
        guard let seat else {
            self.state.withLock { _ = $0.elsewhere.insert(key) }
            return
        }
        let (stop, stopper) = AsyncStream<Void>.makeStream()
        self.state.withLock { state in
            state.elsewhere.remove(key)
            state.sessions[key] = Session(stop: stopper, seat: seats[seat])
        }
        group.addTask { await self.session(channel, stop: stop) }
    }

    /// How long a seat lasts without renewal, in milliseconds.
    private var seatMilliseconds: Int { Int(self.seats.duration.milliseconds) }

    /// The key of a channel's session: its row id, which a Twitch rename does not change.
    private static func sessionKey(_ channel: ChannelRecord) -> String { channel.id.uuidString.lowercased() }

    /// Ends the sessions of `keys` and gives their seats back (waiting at most 2 s for Redis).
    private func stopSessions(_ keys: [String]) async {
        let stopped = self.state.withLock { state in keys.compactMap { state.sessions.removeValue(forKey: $0) } }
        guard !stopped.isEmpty else { return }
        for session in stopped { session.stop.finish() }
        let (lease, owner) = (self.seats.lease, self.seats.owner)
        _ = await result(within: .seconds(2), otherwise: ()) {
            for seat in stopped.map(\.seat) { try? await lease.release(seat, owner: owner) }
        }
    }

    /// The seat keys of `channel`, sharing one hash tag.
    private func seatKeys(_ channel: ChannelRecord) -> [String] {
        (1...max(1, self.seats.count)).map { "tumulte:eventsub:{\(channel.id.uuidString.lowercased())}:seat:\($0)" }
    }

    /// Looks for newly connected (or no longer eligible) channels now.
    func channelsChanged() {
        self.wake.signal()
    }

    /// The transport, the channels with a session here, how many of those are subscribed, and the channels whose
    /// sessions other daemons hold, for `/health`.
    var health: (transport: String, sessions: Int, ready: Int, elsewhere: Int) {
        let transport = if case .webhook = self.delivery { "webhook" } else { "websocket" }
        return self.state.withLock { (transport, $0.sessions.count, $0.ready.count, $0.elsewhere.count) }
    }

    /// A notification delivered by webhook (already verified and de-duplicated by the route); false when its counts
    /// could not be stored (the route then asks Twitch to deliver it again).
    func receive(_ notification: EventSubNotification) async -> Bool {
        switch notification.event {
        case .pollProgress(let poll): await self.apply(poll, ended: false)
        case .pollEnd(let poll): await self.apply(poll, ended: true)
        case .pollBegin, .other: true
        }
    }

    /// Creates the webhook subscriptions missing for eligible channels, with an app access token (ES-12).
    private func ensureWebhookSubscriptions(for eligible: [ChannelRecord], callback: String, secret: String) async throws {
        let token = try await self.appToken()
        let existing = try await self.helix.subscriptions(token: token).filter { subscription in
            subscription.transport.callback == callback
                && (subscription.status == "enabled" || subscription.status == "webhook_callback_verification_pending")
        }
        for channel in eligible {
            guard let broadcasterID = channel.twitchUserID else { continue }
            for type in Self.subscriptionTypes
            where !existing.contains(where: { $0.type == type && $0.condition["broadcaster_user_id"] == broadcasterID }) {
                do {
                    _ = try await self.helix.createSubscription(
                        type: type,
                        condition: ["broadcaster_user_id": broadcasterID],
                        transport: .webhook(callback: callback, secret: secret),
                        token: token
                    )
                } catch let error as TwitchAPIError where error.code == .conflict {
                    continue
                } catch {
                    self.logger.warning(
                        "EventSub webhook subscription not created",
                        metadata: ["twitch.channel": "\(channel.login)", "eventsub.type": "\(type)", "twitch.error": "\(error)"]
                    )
                }
            }
        }
    }

    /// The application's access token, fetched again shortly before it expires.
    private func appToken() async throws -> String {
        if let cached = self.state.withLock({ $0.appToken }), cached.expiresAt > Date().addingTimeInterval(300) { return cached.token }
        let tokens = try await self.oauth.appToken()
        let expiresAt = tokens.expiresAt ?? Date().addingTimeInterval(3600)
        self.state.withLock { $0.appToken = (tokens.accessToken, expiresAt) }
        return tokens.accessToken
    }

    private func session(_ channel: ChannelRecord, stop: AsyncStream<Void>) async {
        guard let broadcasterID = channel.twitchUserID, case .websocket(let configuration) = self.delivery else { return }
        let login = channel.login.value
        let key = Self.sessionKey(channel)
        let connection = EventSubConnection(configuration: configuration, logger: self.logger) { sessionID in
            try await self.withToken(channel.id) { token in
                for type in Self.subscriptionTypes {
                    do {
                        _ = try await self.helix.createSubscription(
                            type: type,
                            condition: ["broadcaster_user_id": broadcasterID],
                            transport: .websocket(sessionID: sessionID),
                            token: token
                        )
                    } catch let error as TwitchAPIError where error.code == .conflict {
                        // Already there (a reconnect race): what we wanted (API-E1).
                        continue
                    }
                }
            }
        } handle: { event in
            await self.handle(event, login: login, key: key)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await connection.run() }
            group.addTask { for await _ in stop {} }
            await group.next()
            group.cancelAll()
        }
        self.state.withLock { _ = $0.ready.remove(key) }
    }

    private func handle(_ event: EventSubConnection.Event, login: String, key: String) async {
        switch event {
        case .ready(_, let resumed):
            self.state.withLock { _ = $0.ready.insert(key) }
            self.logger.info("EventSub session ready", metadata: ["twitch.channel": "\(login)", "eventsub.resumed": "\(resumed)"])
            if !resumed {
                // Events sent while no session existed are lost: read the running native polls again (ES-7).
                let ids = self.state.withLock { state in state.byTwitchPoll.filter { $0.value.login == login }.map(\.key) }
                for id in ids { await self.resync(twitchPollID: id) }
            }
        case .disconnected(let reason):
            self.state.withLock { _ = $0.ready.remove(key) }
            self.logger.info("EventSub session lost", metadata: ["twitch.channel": "\(login)", "eventsub.reason": "\(reason)"])
        case .revocation(let subscription):
            self.state.withLock { _ = $0.ready.remove(key) }
            self.logger.warning(
                "EventSub subscription revoked",
                metadata: ["twitch.channel": "\(login)", "eventsub.type": "\(subscription.type)", "eventsub.status": "\(subscription.status)"]
            )
            if subscription.status == "authorization_revoked" || subscription.status == "user_removed" {
                // The streamer disconnected the app: the next reconcile stops the session if the token is gone.
                self.wake.signal()
            }
        case .notification(let notification):
            switch notification.event {
            case .pollProgress(let poll):
                _ = await self.apply(poll, ended: false)
            case .pollEnd(let poll):
                _ = await self.apply(poll, ended: true)
            case .pollBegin, .other:
                break
            }
        }
    }

    /// Applies a poll event's running totals to the channel's counts; false when Redis did not take them (an event
    /// of a poll not followed here is ignored, and true).
    private func apply(_ poll: PollEvent, ended: Bool) async -> Bool {
        guard let tracked = self.state.withLock({ $0.byTwitchPoll[poll.id] }) else { return true }
        do {
            try await self.store.setChannelCounts(pollID: tracked.pollID, channel: tracked.login, votes: poll.votes)
            if ended { self.markEnded(poll.id) }
            return true
        } catch {
            self.logger.warning("native poll counts not stored", metadata: ["poll.id": "\(tracked.pollID)", "twitch.error": "\(error)"])
            return false
        }
    }

    /// Applies a Helix poll's counts.
    private func apply(_ poll: HelixPoll, pollID: String, login: String) async {
        do {
            try await self.store.setChannelCounts(pollID: pollID, channel: login, votes: poll.choices.map { max(0, $0.votes ?? 0) })
            if !poll.isActive { self.markEnded(poll.id) }
        } catch {
            self.logger.warning("native poll counts not stored", metadata: ["poll.id": "\(pollID)", "twitch.error": "\(error)"])
        }
    }

    /// Notes that a followed native poll ended (a poll no longer followed is not remembered).
    private func markEnded(_ twitchPollID: String) {
        self.state.withLock { state in
            if state.byTwitchPoll[twitchPollID] != nil { state.ended.insert(twitchPollID) }
        }
    }

    /// Reads a tracked native poll from Helix and applies its counts.
    private func resync(twitchPollID: String) async {
        guard let tracked = self.state.withLock({ $0.byTwitchPoll[twitchPollID] }) else { return }
        do {
            let broadcasterID = try await self.broadcasterID(channelID: tracked.channelID, login: tracked.login)
            let found = try await self.withToken(tracked.channelID) { token in
                try await self.helix.polls(broadcasterID: broadcasterID, ids: [twitchPollID], token: token)
            }
            if let poll = found.first { await self.apply(poll, pollID: tracked.pollID, login: tracked.login) }
        } catch {
            self.logger.warning("native poll not re-read", metadata: ["poll.id": "\(tracked.pollID)", "twitch.error": "\(error)"])
        }
    }

    private func resync(twitchPollID: String, record: PollRecord, channel: PollChannelRecord) async {
        if self.state.withLock({ $0.byTwitchPoll[twitchPollID] == nil }) {
            self.state.withLock {
                $0.byTwitchPoll[twitchPollID] = Tracked(
                    pollID: record.idString,
                    login: channel.login.value,
                    channelID: channel.channelID
                )
            }
        }
        await self.resync(twitchPollID: twitchPollID)
    }

    private func broadcasterID(_ channel: PollChannelRecord) async throws -> String {
        try await self.broadcasterID(channelID: channel.channelID, login: channel.login.value)
    }

    private func broadcasterID(channelID: UUID, login: String) async throws -> String {
        guard let login = ChannelLogin(login), let channel = try await self.channels.channel(login), let id = channel.twitchUserID else {
            throw TwitchAPIError(.notFound, status: nil, "\(login) has no Twitch account")
        }
        return id
    }

    /// Runs `body` with the channel's access token, refreshing it once if Twitch refuses it (API-O1, API-O3).
    private func withToken<T: Sendable>(_ channelID: UUID, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let token = try await self.credentials.accessToken(channelID: channelID)
        do {
            return try await body(token)
        } catch let error as TwitchAPIError where error.code == .unauthorized {
            let fresh = try await self.credentials.refresh(channelID: channelID, replacing: token)
            return try await body(fresh)
        }
    }

    /// The sentence kept on a channel that fell back to chat.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as TwitchAPIError where error.code == .notAffiliate: "Twitch: only affiliates and partners can run polls"
        case let error as TwitchAPIError: "Twitch refused the poll (\(error.status.map(String.init) ?? "no answer")): \(error.message)"
        case let error as TwitchCredentials.Failure: "the channel's Twitch account: \(error.code.rawValue)"
        default: "the native poll could not be created"
        }
    }
}
