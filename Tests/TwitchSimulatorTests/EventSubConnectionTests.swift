import AsyncHTTPClient
import EventSub
import Foundation
import Logging
import Synchronization
import Testing
import TwitchSimulator

/// The EventSub WebSocket session against the simulator over real sockets: subscribe within the welcome window
/// (ES-3), notifications once (ES-13), `session_reconnect` followed without resubscribing (ES-6), a real drop
/// followed by a fresh session and new subscriptions (ES-7), revocations (ES-8), close codes (ES-9) and the
/// keepalive watchdog (ES-5).
@Suite struct EventSubConnectionTests {
    static let types = ["channel.poll.begin", "channel.poll.progress", "channel.poll.end"]

    /// What a test sees of one connection.
    final class Recorder: Sendable {
        let events = Mutex<[EventSubConnection.Event]>([])
        let subscribeCalls = Mutex(0)

        var readies: [(String, Bool)] {
            self.events.withLock { $0 }.compactMap { event in
                if case .ready(let id, let resumed) = event { return (id, resumed) }
                return nil
            }
        }

        /// The `votes` of every poll notification, in order.
        var pollVotes: [[Int]] {
            self.events.withLock { $0 }.compactMap { event in
                guard case .notification(let notification) = event else { return nil }
                switch notification.event {
                case .pollBegin(let poll), .pollProgress(let poll), .pollEnd(let poll): return poll.votes
                case .other: return nil
                }
            }
        }
    }

    /// Runs `body` with a simulator knowing affiliate `alpha_gm`, a Helix client, alpha's token and a running
    /// connection subscribing to alpha's poll events.
    static func withConnection(
        keepalive: Int = 10,
        _ body: @Sendable (TwitchAPISimulator, HelixClient, String, Recorder) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let simulator = TwitchAPISimulator(clientID: "es-client", clientSecret: "es-secret", logger: logger)
        let userID = simulator.addUser(login: "alpha_gm", broadcasterType: "affiliate")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            defer { group.cancelAll() }
            _ = await simulator.boundPort()
            let application = TwitchApplication(
                clientID: "es-client",
                clientSecret: "es-secret",
                redirectURI: "http://127.0.0.1:9/cb",
                authURL: simulator.authURL,
                apiURL: simulator.helixURL
            )
            let helix = HelixClient(application: application, httpClient: .shared)
            let token = try #require(simulator.issueTokens(to: "alpha_gm", scopes: ["channel:read:polls", "channel:manage:polls"])).accessToken
            let recorder = Recorder()
            var configuration = EventSubConnection.Configuration(url: simulator.eventSubURL, keepaliveSeconds: keepalive)
            configuration.initialBackoff = .milliseconds(50)
            let connection = EventSubConnection(configuration: configuration, logger: logger) { sessionID in
                recorder.subscribeCalls.withLock { $0 += 1 }
                for type in Self.types {
                    do {
                        _ = try await helix.createSubscription(
                            type: type,
                            condition: ["broadcaster_user_id": userID],
                            transport: .websocket(sessionID: sessionID),
                            token: token
                        )
                    } catch let error as TwitchAPIError where error.code == .conflict {
                        continue
                    }
                }
            } handle: { event in
                recorder.events.withLock { $0.append(event) }
            }
            group.addTask { await connection.run() }
            try await Self.eventually("the first session is ready") { recorder.readies.count == 1 }
            try await body(simulator, helix, token, recorder)
        }
    }

    /// Re-checks `condition` every 20 ms for up to 20 s.
    static func eventually(_ what: String, within limit: Duration = .seconds(20), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    @Test func subscribesOnTheWelcomeAndGetsEachNotificationOnceES3ES13() async throws {
        try await Self.withConnection { simulator, helix, token, recorder in
            #expect(recorder.subscribeCalls.withLock { $0 } == 1)
            #expect(simulator.subscriptions(of: "alpha_gm").map(\.status) == ["enabled", "enabled", "enabled"])
            #expect(recorder.readies.first?.1 == false)
            // API-E2: the list shows them; a deleted one is gone, and deleting it again is not an error.
            let listed = try await helix.subscriptions(token: token)
            #expect(Set(listed.map(\.type)) == Set(Self.types) && listed.allSatisfy { $0.transport.method == "websocket" })
            let progress = try #require(listed.first { $0.type == "channel.poll.progress" })
            try await helix.deleteSubscription(id: progress.id, token: token)
            try await helix.deleteSubscription(id: progress.id, token: token)
            #expect(try await helix.subscriptions(token: token).count == 2)
            _ = try await helix.createSubscription(
                type: "channel.poll.progress",
                condition: ["broadcaster_user_id": try #require(simulator.userID(of: "alpha_gm"))],
                transport: .websocket(sessionID: try #require(recorder.readies.first?.0)),
                token: token
            )
            let userID = try #require(simulator.userID(of: "alpha_gm"))
            _ = try await helix.createPoll(broadcasterID: userID, title: "Open the door?", choices: ["Yes", "No"], duration: 60, token: token)
            simulator.duplicateNotifications(true)
            simulator.vote(in: "alpha_gm", choice: 0, votes: 2)
            simulator.vote(in: "alpha_gm", choice: 1, votes: 1, channelPointsVotes: 3)
            try await Self.eventually("two progress events") { recorder.pollVotes.count == 3 }
            // Begin (no counts), then running totals; each sent twice, handed over once; paid votes inside `votes`.
            #expect(recorder.pollVotes == [[0, 0], [2, 0], [2, 4]])
        }
    }

    @Test func followsSessionReconnectWithoutResubscribingES6() async throws {
        try await Self.withConnection { simulator, helix, token, recorder in
            let first = try #require(recorder.readies.first?.0)
            simulator.sendSessionReconnect(to: "alpha_gm")
            try await Self.eventually("the move to the new socket") { recorder.readies.count == 2 }
            #expect(recorder.readies.last?.0 == first && recorder.readies.last?.1 == true)
            #expect(recorder.subscribeCalls.withLock { $0 } == 1)
            // The old socket is closed by the client once the new one is welcomed.
            try await Self.eventually("one socket left") { simulator.openEventSubSockets == 1 }
            #expect(simulator.subscriptions(of: "alpha_gm").allSatisfy { $0.status == "enabled" })
            let userID = try #require(simulator.userID(of: "alpha_gm"))
            _ = try await helix.createPoll(broadcasterID: userID, title: "Fight?", choices: ["Yes", "No"], duration: 60, token: token)
            simulator.vote(in: "alpha_gm", choice: 1, votes: 5)
            try await Self.eventually("events on the new socket") { recorder.pollVotes.last == [0, 5] }
            #expect(!recorder.events.withLock { $0 }.contains { if case .disconnected = $0 { return true } else { return false } })
        }
    }

    @Test func aReconnectSurvivesTheOldSocketClosingBeforeTheNewWelcomeES6() async throws {
        try await Self.withConnection { simulator, helix, token, recorder in
            let first = try #require(recorder.readies.first?.0)
            simulator.sendSessionReconnect(to: "alpha_gm", closingOldSocket: true)
            try await Self.eventually("the move to the new socket") { recorder.readies.count == 2 }
            #expect(recorder.readies.last?.0 == first && recorder.readies.last?.1 == true)
            #expect(recorder.subscribeCalls.withLock { $0 } == 1)
            #expect(!recorder.events.withLock { $0 }.contains { if case .disconnected = $0 { return true } else { return false } })
            let userID = try #require(simulator.userID(of: "alpha_gm"))
            _ = try await helix.createPoll(broadcasterID: userID, title: "Sneak?", choices: ["Yes", "No"], duration: 60, token: token)
            simulator.vote(in: "alpha_gm", choice: 0, votes: 3)
            try await Self.eventually("events on the new socket") { recorder.pollVotes.last == [3, 0] }
        }
    }

    @Test(arguments: [nil, 4000, 4004, 4007] as [UInt16?])
    func aDropGivesAFreshSessionWithNewSubscriptionsES7ES9(code: UInt16?) async throws {
        try await Self.withConnection { simulator, helix, token, recorder in
            let first = try #require(recorder.readies.first?.0)
            simulator.closeEventSub(of: "alpha_gm", code: code)
            try await Self.eventually("a second session") { recorder.readies.count == 2 }
            #expect(recorder.readies.last?.0 != first && recorder.readies.last?.1 == false)
            #expect(recorder.subscribeCalls.withLock { $0 } == 2)
            let statuses = simulator.subscriptions(of: "alpha_gm").map(\.status)
            #expect(statuses.filter { $0 == "enabled" }.count == 3 && statuses.filter { $0 == "websocket_disconnected" }.count == 3)
            let userID = try #require(simulator.userID(of: "alpha_gm"))
            _ = try await helix.createPoll(broadcasterID: userID, title: "Run?", choices: ["Yes", "No"], duration: 60, token: token)
            simulator.vote(in: "alpha_gm", choice: 0)
            try await Self.eventually("events on the new session") { recorder.pollVotes.last == [1, 0] }
        }
    }

    @Test func aFourthSessionOfOneTokenIsRefusedWith429ES10() async throws {
        try await Self.withConnection { simulator, helix, token, _ in
            let userID = try #require(simulator.userID(of: "alpha_gm"))
            // Three more sessions of alpha's token: two fit beside the first one, the last gets 429.
            let outcomes = Mutex<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    var configuration = EventSubConnection.Configuration(url: simulator.eventSubURL, keepaliveSeconds: 10)
                    configuration.initialBackoff = .seconds(30)
                    let connection = EventSubConnection(configuration: configuration, logger: Logger(label: "test")) { sessionID in
                        do {
                            _ = try await helix.createSubscription(
                                type: "channel.poll.end",
                                condition: ["broadcaster_user_id": userID],
                                transport: .websocket(sessionID: sessionID),
                                token: token
                            )
                            outcomes.withLock { $0.append("ok") }
                        } catch let error as TwitchAPIError {
                            outcomes.withLock { $0.append(error.code.description) }
                            throw error
                        }
                    } handle: { _ in
                    }
                    group.addTask { await connection.run() }
                }
                try await Self.eventually("three subscription attempts") { outcomes.withLock { $0.count } == 3 }
                group.cancelAll()
            }
            #expect(outcomes.withLock { $0 }.sorted() == ["ok", "ok", "rate_limited"])
        }
    }

    @Test func revocationsAreReportedES8() async throws {
        try await Self.withConnection { simulator, _, _, recorder in
            simulator.revokeSubscriptions(of: "alpha_gm", status: "authorization_revoked")
            try await Self.eventually("three revocations") {
                recorder.events.withLock { $0 }.filter { if case .revocation = $0 { return true } else { return false } }.count == 3
            }
            let revoked = recorder.events.withLock { $0 }.compactMap { event -> String? in
                if case .revocation(let subscription) = event { return subscription.status }
                return nil
            }
            #expect(Set(revoked) == ["authorization_revoked"])
        }
    }

    @Test func aSilentSocketIsDroppedAfterTheKeepaliveWithSlackES5() async throws {
        try await Self.withConnection(keepalive: 10) { simulator, _, _, recorder in
            simulator.silenceEventSub(of: "alpha_gm")
            let silencedAt = ContinuousClock.now
            try await Self.eventually("a second session", within: .seconds(30)) { recorder.readies.count == 2 }
            // Not before the 10 s keepalive timeout (the watchdog allows 1.2 × it).
            #expect(ContinuousClock.now - silencedAt >= .seconds(10))
            let reasons = recorder.events.withLock { $0 }.compactMap { event -> String? in
                if case .disconnected(let reason) = event { return reason }
                return nil
            }
            #expect(reasons.first?.contains("keepalive") == true)
        }
    }
}
