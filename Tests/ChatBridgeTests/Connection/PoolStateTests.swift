import Testing

@testable import ChatBridge

/// The pool's decisions as a pure state machine, driven with synthetic instants (no sockets, no clock).
struct PoolStateTests {
    /// A fixed origin; every instant in these tests is an offset from it.
    let origin = ContinuousClock.now

    /// A state with default (Twitch) settings except a local URL.
    func makeState(_ configure: (inout ChatConnectionPoolConfiguration) -> Void = { _ in }) -> PoolState {
        var configuration = ChatConnectionPoolConfiguration(url: "ws://127.0.0.1:1")
        configure(&configuration)
        return PoolState(configuration: configuration)
    }

    /// A writer queue whose lines are discarded.
    func makeOutbox() -> Outbox {
        AsyncStream.makeStream(of: OutboxItem.self).continuation
    }

    /// Brings connection `id` to the logged-in state.
    func logIn(_ state: inout PoolState, _ id: Int, at now: ContinuousClock.Instant) {
        state.attach(makeOutbox(), connection: id)
        state.established(connection: id, now: now)
        _ = state.welcomed(connection: id, nick: "justinfan1234", now: now)
    }

    @Test func ninetyFiveChannelsOpenTwoConnectionsTwoSecondsApartIRCJ5() {
        var state = makeState()
        state.setWanted(Set((1...95).map { "c\($0)" }))
        let first = state.tick(now: origin)
        #expect(first.actions.opened == [1])
        #expect(state.connections[1]?.channels.count == 90)
        #expect(first.nextDeadline == origin + .seconds(2))
        #expect(state.tick(now: origin + .milliseconds(1_999)).actions.opened.isEmpty)
        let second = state.tick(now: origin + .seconds(2))
        #expect(second.actions.opened == [2])
        #expect(state.connections[2]?.channels.count == 5)
    }

    @Test func joinsWaitForTheWelcomeAndTheBucketIRCL4J3() {
        var state = makeState()
        state.setWanted(Set((1...45).map { "c\($0)" }))
        _ = state.tick(now: origin)
        state.attach(makeOutbox(), connection: 1)
        #expect(state.tick(now: origin).actions.joined.isEmpty)
        _ = state.welcomed(connection: 1, nick: "justinfan1234", now: origin)
        let first = state.tick(now: origin)
        #expect(first.actions.joined.count == 20)
        _ = state.confirmed(first.actions.joined, connection: 1)
        let waiting = state.tick(now: origin + .seconds(5))
        #expect(waiting.actions.joined.isEmpty)
        #expect(waiting.nextDeadline == origin + .seconds(11))
        let second = state.tick(now: origin + .seconds(11))
        #expect(second.actions.joined.count == 20)
        _ = state.confirmed(second.actions.joined, connection: 1)
        let third = state.tick(now: origin + .seconds(22))
        #expect(third.actions.joined.count == 5)
        #expect(Set(first.actions.joined + second.actions.joined + third.actions.joined).count == 45)
        // A 20-channel burst fits in one JOIN line under 480 bytes.
        #expect(first.actions.lines.allSatisfy { $0.utf8.count <= 480 })
    }

    @Test func unconfirmedJoinTimesOutAndIsRetriedWithBackoffIRCJ2() throws {
        var state = makeState()
        state.setWanted(["ghost"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        #expect(state.tick(now: origin).actions.joined == ["ghost"])
        let timeout = state.tick(now: origin + .seconds(10))
        #expect(timeout.events.map(\.failureCode) == [.joinTimedOut])
        #expect(timeout.actions.joined.isEmpty)
        let retryAt = try #require(timeout.nextDeadline)
        // First retry of `.joinRetry`: 5 s jittered to 2.5–5 s.
        #expect(retryAt >= origin + .milliseconds(12_500) && retryAt <= origin + .seconds(15))
        #expect(state.tick(now: retryAt).actions.joined == ["ghost"])
        _ = state.confirmed(["ghost"], connection: 1)
        #expect(state.status.joinedChannels == ["ghost"])
    }

    @Test func suspendedChannelLeavesItsConnectionUntilTheLongRetryIRCJ2() throws {
        var state = makeState()
        state.setWanted(["banned"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.tick(now: origin)
        let events = state.suspended("banned", connection: 1, now: origin)
        #expect(events.map(\.failureCode) == [.channelSuspended])
        #expect(state.status.suspendedChannels == ["banned"])
        let output = state.tick(now: origin + .seconds(1))
        let retryAt = try #require(output.nextDeadline)
        #expect(retryAt >= origin + .seconds(300))
        #expect(state.tick(now: retryAt).actions.joined == ["banned"])
    }

    @Test func reconnectClosesTheOldConnectionOnlyOnceTheNewOneIsJoinedIRCR1R2() {
        var state = makeState()
        state.setWanted(["a", "b"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.confirmed(state.tick(now: origin).actions.joined, connection: 1)
        let now = origin + .seconds(5)
        let draining1 = state.reconnectRequested(connection: 1, now: now)
        #expect(draining1)
        let open = state.tick(now: now)
        #expect(open.actions.opened == [2])
        #expect(open.actions.closed.isEmpty)
        // Still receiving on the old connection meanwhile.
        #expect(state.status.joinedChannels == ["a", "b"])
        logIn(&state, 2, at: now)
        let joins = state.tick(now: now)
        #expect(joins.actions.joined.sorted() == ["a", "b"])
        #expect(joins.actions.closed.isEmpty)
        _ = state.confirmed(["a"], connection: 2)
        #expect(state.tick(now: now).actions.closed.isEmpty)
        _ = state.confirmed(["b"], connection: 2)
        #expect(state.tick(now: now).actions.closed == [1])
        let ended = state.connectionEnded(connection: 1, reason: ChatPoolError(.closedByServer, message: "closed"), now: now)
        #expect(ended.events.map(\.failureCode) == [.reconnectRequested])
        #expect(!ended.lostReady)
        #expect(state.failureStreak == 0)
    }

    @Test func reconnectOverlapIsBoundedIRCR2() {
        var state = makeState { $0.reconnectOverlap = .seconds(30) }
        state.setWanted(["a"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.confirmed(state.tick(now: origin).actions.joined, connection: 1)
        let draining2 = state.reconnectRequested(connection: 1, now: origin + .seconds(5))
        #expect(draining2)
        let output = state.tick(now: origin + .seconds(5))
        #expect(output.actions.opened == [2])
        #expect(state.tick(now: origin + .seconds(34)).actions.closed.isEmpty)
        #expect(state.tick(now: origin + .seconds(35)).actions.closed == [1])
    }

    @Test func aLoginChangeDrainsOnlyOnceTheNewLoginIsInAndWaitsForEveryJoinIRCL1R2() {
        var state = makeState { $0.reconnectOverlap = .seconds(30) }
        state.setWanted(["a", "b"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.confirmed(state.tick(now: origin).actions.joined, connection: 1)

        state.changeLogin(.account("bot") { _ in "token" })
        let now = origin + .seconds(10)
        // A connection under the new login opens; the old one keeps every channel until it is logged in.
        let open = state.tick(now: now)
        #expect(open.actions.opened == [2])
        #expect(open.actions.closed.isEmpty)
        // The new login fails, again and again: the old connection keeps reading, whatever the time.
        for attempt in 1...3 {
            let failure = ChatPoolError(.loginFailed, message: "Login authentication failed")
            _ = state.connectionEnded(connection: 1 + attempt, reason: failure, now: now + .seconds(60 * attempt))
            let retry = state.tick(now: now + .seconds(60 * attempt + 59))
            #expect(retry.actions.opened == [2 + attempt])
            #expect(retry.actions.closed.isEmpty)
            #expect(state.status.joinedChannels == ["a", "b"])
        }
        // Once logged in, the old connection drains; it closes only when both channels are joined anew, even long
        // after the RECONNECT overlap bound.
        let later = now + .seconds(300)
        logIn(&state, 5, at: later)
        let joins = state.tick(now: later)
        #expect(joins.actions.joined.sorted() == ["a", "b"])
        _ = state.confirmed(["a"], connection: 5)
        #expect(state.tick(now: later + .seconds(120)).actions.closed.isEmpty)
        #expect(state.sendTarget(for: "b") != nil)
        _ = state.confirmed(["b"], connection: 5)
        #expect(state.tick(now: later + .seconds(121)).actions.closed == [1])
    }

    @Test func anUndecidedLoginOpensNothingUntilItIsDecided() {
        var state = makeState { $0.login = .undecided }
        state.setWanted(["a", "b"])
        #expect(state.tick(now: origin).actions.opened.isEmpty)
        #expect(state.tick(now: origin + .seconds(60)).actions.opened.isEmpty)
        #expect(state.sendTarget(for: "a") == nil)
        state.changeLogin(.account("bot") { _ in "token" })
        let opened = state.tick(now: origin + .seconds(61))
        #expect(opened.actions.opened == [1])
        logIn(&state, 1, at: origin + .seconds(61))
        // One connection, under the decided login, joins everything once; nothing is replaced.
        let joins = state.tick(now: origin + .seconds(61))
        #expect(joins.actions.joined.sorted() == ["a", "b"])
        #expect(joins.actions.closed.isEmpty)
    }

    @Test func sendsGoOnlyThroughConnectionsUnderTheCurrentLoginIRCS1() {
        var state = makeState { $0.login = .account("old_bot") { _ in "token" } }
        state.setWanted(["a"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.confirmed(state.tick(now: origin).actions.joined, connection: 1)
        #expect(state.sendTarget(for: "a") != nil)
        state.changeLogin(.account("new_bot") { _ in "token" })
        let later = origin + .seconds(5)
        #expect(state.tick(now: later).actions.opened == [2])
        // Only the old bot's connection is in: a message would go out as the old bot, so none is sent.
        #expect(state.sendTarget(for: "a") == nil)
        logIn(&state, 2, at: later)
        _ = state.tick(now: later)
        #expect(state.sendTarget(for: "a") != nil)
    }

    @Test func dropRequeuesEveryChannelAfterABackoffIRCR3J6() throws {
        var state = makeState()
        state.setWanted(["a", "b", "c"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        _ = state.confirmed(state.tick(now: origin).actions.joined, connection: 1)
        let now = origin + .seconds(10)
        let ended = state.connectionEnded(connection: 1, reason: ChatPoolError(.connectionFailed, message: "reset"), now: now)
        #expect(ended.lostReady)
        #expect(ended.events.map(\.failureCode) == [.connectionFailed])
        let waiting = state.tick(now: now)
        #expect(waiting.actions.opened.isEmpty)
        let retryAt = try #require(waiting.nextDeadline)
        #expect(retryAt >= now + .milliseconds(500) && retryAt <= now + .seconds(1))
        #expect(state.tick(now: retryAt).actions.opened == [2])
        logIn(&state, 2, at: retryAt)
        #expect(state.tick(now: retryAt).actions.joined.sorted() == ["a", "b", "c"])
    }

    @Test func backoffGrowsWithFailuresAndResetsAfterAStablePeriodIRCR3() throws {
        // A bot account keeps one connection even without channels, so the pool keeps trying.
        var state = makeState {
            $0.connectionOpenInterval = .milliseconds(1)
            $0.login = .account("tumultebot") { _ in "token" }
        }
        var now = origin
        var delays: [Duration] = []
        for id in 1...3 {
            let output = state.tick(now: now)
            #expect(output.actions.opened == [id])
            let ended = state.connectionEnded(connection: id, reason: ChatPoolError(.connectionFailed, message: "refused"), now: now)
            #expect(!ended.lostReady)
            let retryAt = try #require(state.tick(now: now).nextDeadline)
            delays.append(retryAt - now)
            now = retryAt
        }
        #expect(state.failureStreak == 3)
        #expect(delays[0] <= .seconds(1) && delays[1] >= .seconds(1) && delays[2] >= .seconds(2))
        // A connection that stays up for the stable period resets the streak.
        #expect(state.tick(now: now).actions.opened == [4])
        logIn(&state, 4, at: now)
        _ = state.tick(now: now + .seconds(61))
        #expect(state.failureStreak == 0)
    }

    @Test func anAnonymousPoolWithNothingToReadStaysClosed() {
        var state = makeState()
        #expect(state.tick(now: origin).actions.opened.isEmpty)
        state.setWanted(["a"])
        #expect(state.tick(now: origin).actions.opened == [1])
        logIn(&state, 1, at: origin)
        state.setWanted([])
        let output = state.tick(now: origin + .seconds(1))
        #expect(output.actions.closed == [1])
    }

    @Test func loginFailureAsksForARefreshedTokenIRCL5L6() {
        var state = makeState { $0.login = .account("tumultebot") { _ in "token" } }
        #expect(state.tick(now: origin).actions.opens == [.init(id: 1, refresh: false)])
        let failure = ChatPoolError(.loginFailed, message: "Login authentication failed")
        let ended = state.connectionEnded(connection: 1, reason: failure, now: origin)
        #expect(ended.events.map(\.failureCode) == [.loginFailed, .loginFailed])
        #expect(state.refreshToken)
        let later = origin + .seconds(2)
        #expect(state.tick(now: later).actions.opens == [.init(id: 2, refresh: true)])
        logIn(&state, 2, at: later)
        #expect(!state.refreshToken)
    }

    @Test func partingSendsPartOnlyForJoinedChannelsAndClosesIdleConnections() {
        var state = makeState { $0.maxChannelsPerConnection = 2 }
        state.setWanted(["a", "b", "c"])
        _ = state.tick(now: origin)
        logIn(&state, 1, at: origin)
        let first = state.tick(now: origin + .seconds(2))
        #expect(first.actions.opened == [2])
        logIn(&state, 2, at: origin + .seconds(2))
        let second = state.tick(now: origin + .seconds(2))
        _ = state.confirmed(first.actions.joined, connection: 1)
        _ = state.confirmed(second.actions.joined, connection: 2)
        #expect(state.status.joinedChannels == ["a", "b", "c"])
        state.removeWanted(["c"])
        let output = state.tick(now: origin + .seconds(3))
        #expect(output.actions.lines.contains("PART #c"))
        #expect(output.events == [.parted(channel: "c")])
        #expect(output.actions.closed == [2])
        #expect(state.status.wantedChannels == ["a", "b"])
    }

    @Test func joinLinesStayShortAndCountEveryChannel() {
        let names = (1...60).map { "channel_with_a_long_name_\($0)" }
        let lines = PoolState.lines("JOIN", names)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= PoolState.maximumLineLength })
        #expect(lines.flatMap { $0.dropFirst(5).split(separator: ",").map { String($0.dropFirst()) } } == names)
    }
}

extension [PoolState.Action] {
    /// A connection opened and whether it asked for a refreshed token.
    struct Open: Equatable {
        /// The connection id.
        let id: Int
        /// Whether the token provider is asked for a refreshed token.
        let refresh: Bool
    }

    /// The connections opened.
    var opens: [Open] {
        compactMap { if case .open(let id, let refresh, _) = $0 { Open(id: id, refresh: refresh) } else { nil } }
    }

    /// The ids of the connections opened.
    var opened: [Int] { opens.map(\.id) }

    /// The ids of the connections closed.
    var closed: [Int] {
        compactMap { if case .close(_, let id, _) = $0 { id } else { nil } }
    }

    /// Every line sent.
    var lines: [String] {
        flatMap { action -> [String] in
            if case .send(_, let lines, _) = action { lines } else { [] }
        }
    }

    /// The channels of every JOIN sent.
    var joined: [String] {
        lines.filter { $0.hasPrefix("JOIN ") }.flatMap { $0.dropFirst(5).split(separator: ",").map { String($0.dropFirst()) } }
    }
}

extension ChatPoolEvent {
    /// The error code of a failure or disconnection event, nil for other events.
    var failureCode: ChatPoolError.Code? {
        switch self {
        case .joinFailed(_, let reason), .disconnected(_, let reason), .loginFailed(let reason, _): reason.code
        default: nil
        }
    }
}
