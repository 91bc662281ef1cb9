import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// Which socket serves which EventSub session.
struct SocketRegistry: Sendable {
    /// A `session_reconnect` in progress: the old socket stays open until the client closes it, or the grace ends.
    struct Handover: Sendable {
        var oldSocket: Int
        var deadline: Date
    }

    /// Open sockets by number.
    var sockets: [Int: AsyncStream<EventSubSocketServer.Outgoing>.Continuation] = [:]
    /// The socket currently serving each session.
    var current: [String: Int] = [:]
    /// Reconnects in progress by session.
    var handovers: [String: Handover] = [:]
    /// The number of the next socket.
    var nextSocket = 0
    /// Sockets that get no frames (scripted silence).
    var silenced: Set<Int> = []
}

extension TwitchAPISimulator {
    /// How long the old socket may stay open after a `session_reconnect` before it is closed with 4004 (ES-6).
    static let reconnectGrace: TimeInterval = 30

    /// Runs `body` on the state, then writes what it queued to the sockets.
    func mutate<T>(_ body: (inout APISimulatorState, Date) -> T) -> T {
        let (result, deliveries) = self.stateLock { state in
            let result = body(&state, Date())
            defer { state.outbox = [] }
            return (result, state.outbox)
        }
        self.deliver(deliveries)
        return result
    }

    /// Writes queued frames and closes to the sockets serving their sessions.
    func deliver(_ deliveries: [APISimulatorState.Delivery]) {
        guard !deliveries.isEmpty else { return }
        self.registry.withLock { registry in
            for delivery in deliveries {
                switch delivery {
                case .frame(let sessionID, let text):
                    if let socket = registry.current[sessionID], !registry.silenced.contains(socket) {
                        registry.sockets[socket]?.yield(.text(text))
                    }
                case .close(let sessionID, let code):
                    if let socket = registry.current.removeValue(forKey: sessionID) {
                        registry.sockets[socket]?.yield(.close(code))
                    }
                }
            }
        }
    }

    /// Serves an accepted EventSub connection.
    func accept(_ upgrade: EventLoopFuture<EventSubSocketServer.Upgrade>) async {
        guard let result = try? await upgrade.get() else { return }
        switch result {
        case .plain(let channel):
            await EventSubSocketServer.refuse(channel)
        case .websocket(let channel, let uri):
            let items = APIRequest(method: "GET", uri: uri, headers: [:], body: []).query
            let query = Dictionary(items.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let (stream, continuation) = AsyncStream<EventSubSocketServer.Outgoing>.makeStream()
            let socket = self.registry.withLock { registry in
                defer { registry.nextSocket += 1 }
                registry.sockets[registry.nextSocket] = continuation
                return registry.nextSocket
            }
            var sessionID: String?
            if let reconnecting = query["reconnect_id"] {
                // ES-6: the new socket takes the session over, subscriptions included, and is welcomed again.
                let welcome: String? = self.mutate { state, now in
                    state.sessions[reconnecting] != nil ? state.welcome(reconnecting, now: now) : nil
                }
                let accepted = self.registry.withLock { registry -> Bool in
                    guard welcome != nil, registry.handovers[reconnecting] != nil else { return false }
                    registry.current[reconnecting] = socket
                    return true
                }
                if accepted, let welcome {
                    sessionID = reconnecting
                    continuation.yield(.text(welcome))
                } else {
                    continuation.yield(.close(4007))
                }
            } else {
                let opened = self.mutate { state, now in
                    state.openSession(keepaliveSeconds: query["keepalive_timeout_seconds"].flatMap(Int.init), now: now)
                }
                self.registry.withLock { $0.current[opened.id] = socket }
                sessionID = opened.id
                continuation.yield(.text(opened.welcome))
            }
            let served = sessionID
            await EventSubSocketServer.serve(channel, outgoing: stream) {
                // ES-4: the client must not send data frames.
                guard let sessionID = served else { return }
                self.mutate { state, _ in
                    state.outbox.append(.close(sessionID: sessionID, code: 4001))
                    state.sessionLost(sessionID)
                }
            }
            continuation.finish()
            // The socket is gone: if it still served its session, the session is lost (ES-7).
            let lost = self.registry.withLock { registry -> Bool in
                registry.sockets[socket] = nil
                guard let sessionID else { return false }
                if registry.handovers[sessionID]?.oldSocket == socket {
                    // The old socket of a reconnect: the session waits for the new one (until the grace ends).
                    if registry.current[sessionID] == socket { registry.current[sessionID] = nil }
                    return false
                }
                guard registry.current[sessionID] == socket else { return false }
                registry.current[sessionID] = nil
                return true
            }
            if lost, let sessionID { self.mutate { state, _ in state.sessionLost(sessionID) } }
        }
    }

    /// Closes with 4004 the old sockets of reconnects whose grace has passed; a session whose new socket never
    /// came is lost.
    func closeOverdueReconnects() {
        let now = Date()
        let lost = self.registry.withLock { registry -> [String] in
            var lost: [String] = []
            for (sessionID, handover) in registry.handovers where handover.deadline <= now {
                registry.sockets[handover.oldSocket]?.yield(.close(4004))
                registry.handovers[sessionID] = nil
                if registry.current[sessionID] == handover.oldSocket || registry.current[sessionID] == nil {
                    registry.current[sessionID] = nil
                    lost.append(sessionID)
                }
            }
            return lost
        }
        for sessionID in lost { self.mutate { state, _ in state.sessionLost(sessionID) } }
    }

    /// The ids of the sessions whose subscriptions belong to `login`.
    private func sessions(of login: String) -> [String] {
        self.stateLock { state in
            guard let user = state.user(login: login) else { return [] }
            return state.sessions.values.filter { $0.userID == user.id }.map(\.id)
        }
    }

    // MARK: Scripting EventSub

    /// Sends `session_reconnect` to `login`'s sessions (ES-6); the old sockets are closed with 4004 if the client
    /// has not closed them 30 s after, or right after the message with `closingOldSocket` (the old edge going
    /// away before the client's new socket is welcomed).
    public func sendSessionReconnect(to login: String, closingOldSocket: Bool = false) {
        for sessionID in self.sessions(of: login) {
            let url = self.eventSubURL + "?reconnect_id=\(sessionID)&challenge=\(UUID().uuidString.lowercased())"
            self.registry.withLock { registry in
                guard let old = registry.current[sessionID] else { return }
                registry.handovers[sessionID] = .init(oldSocket: old, deadline: Date() + Self.reconnectGrace)
            }
            self.mutate { state, now in state.send(sessionID, state.reconnectFrame(sessionID, url: url, now: now), now: now) }
            if closingOldSocket {
                self.registry.withLock { registry in
                    if let old = registry.handovers[sessionID]?.oldSocket { registry.sockets[old]?.yield(.close(4004)) }
                }
            }
        }
    }

    /// Closes `login`'s EventSub sockets: with a close frame carrying `code` (ES-9), or without any frame when nil
    /// (a dropped connection). Their subscriptions are disabled (ES-7).
    public func closeEventSub(of login: String, code: UInt16?) {
        for sessionID in self.sessions(of: login) {
            self.mutate { state, _ in
                state.outbox.append(.close(sessionID: sessionID, code: code))
                state.sessionLost(sessionID)
            }
        }
    }

    /// Stops every frame to `login`'s sessions, keepalives included, while their sockets stay open (a half-dead
    /// connection the client must notice by itself, ES-5).
    public func silenceEventSub(of login: String) {
        let sessions = Set(self.sessions(of: login))
        self.registry.withLock { registry in
            for session in sessions {
                if let socket = registry.current[session] { registry.silenced.insert(socket) }
            }
        }
    }

    /// Revokes `login`'s subscriptions with `status` (ES-8).
    public func revokeSubscriptions(of login: String, status: String = "authorization_revoked") {
        self.mutate { state, now in
            guard let user = state.user(login: login) else { return }
            state.revoke(broadcasterID: user.id, status: status, now: now)
        }
    }

    /// Votes in `login`'s running native poll: `votes` plain votes and `channelPointsVotes` paid ones for the
    /// choice at `choice` (0-based); a progress event follows. False when no poll runs.
    @discardableResult
    public func vote(in login: String, choice: Int, votes: Int = 1, channelPointsVotes: Int = 0) -> Bool {
        self.mutate { state, now in
            guard let user = state.user(login: login) else { return false }
            return state.vote(broadcasterID: user.id, choice: choice, votes: votes, channelPointsVotes: channelPointsVotes, now: now)
        }
    }

    /// Whether every notification is delivered twice from now on (ES-13).
    public func duplicateNotifications(_ duplicate: Bool) {
        self.stateLock { $0.duplicateNotifications = duplicate }
    }

    /// `login`'s native polls, newest first: id, status (`ACTIVE`, `COMPLETED`, `TERMINATED` …) and votes per choice.
    public func polls(of login: String) -> [(id: String, status: String, votes: [Int])] {
        self.stateLock { state in
            guard let user = state.user(login: login) else { return [] }
            return state.polls.values.filter { $0.broadcasterID == user.id }.sorted { $0.startedAt > $1.startedAt }
                .map { ($0.id, $0.status, $0.choices.map(\.votes)) }
        }
    }

    /// `login`'s EventSub subscriptions: type and status.
    public func subscriptions(of login: String) -> [(type: String, status: String)] {
        self.stateLock { state in
            guard let user = state.user(login: login) else { return [] }
            return state.subscriptions.values.filter { $0.broadcasterID == user.id }.sorted { $0.createdAt < $1.createdAt }
                .map { ($0.type, $0.status) }
        }
    }

    /// The number of EventSub sockets open now.
    public var openEventSubSockets: Int { self.registry.withLock { $0.sockets.count } }
}
