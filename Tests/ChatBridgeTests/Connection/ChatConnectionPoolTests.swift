import ChatBridge
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TwitchSimulator

/// The pool against the real `IRCSimulator` over real sockets (docs/twitch-protocol.md §1).
@Suite(.timeLimit(.minutes(2)))
struct ChatConnectionPoolTests {
    @Test func anonymousLoginJoinsSeveralChannelsIRCL3L4J1C1() async throws {
        let channels = ["alpha", "beta", "gamma"]
        try await withPool(channels: channels) { simulator, pool, log in
            try await log.waitUntil("three joins") { $0.allJoined(channels) }
            try await simulator.waitForJoined(Set(channels))
            let connections = simulator.connections()
            let connection = try #require(connections.first)
            #expect(connections.count == 1)
            #expect(connection.isAnonymous)
            #expect(connection.login?.hasPrefix("justinfan") == true)
            #expect(connection.capabilities == ["twitch.tv/tags", "twitch.tv/commands"])
            // IRC-L4: every JOIN came after the login completed.
            #expect(simulator.joinLog().allSatisfy { $0.login != nil })
            #expect(simulator.commandCounts()["PASS"] == nil)

            await simulator.privmsg(testMessage("m-anon"), in: "beta")
            try await log.waitUntil("the chat message") { $0.containsMessage(id: "m-anon") }
            let status = pool.status()
            #expect(status.connections == 1)
            #expect(status.joinedChannels == Set(channels))
            #expect(status.wantedChannels == Set(channels))
            #expect(status.isFullyJoined)
        }
    }

    @Test func accountLoginSendsPassThenNickAndCanSendIRCL1S1() async throws {
        let calls = Mutex<[Bool]>([])
        let login = ChatLogin.account("TumulteBot") { refresh in
            calls.withLock { $0.append(refresh) }
            return "goodtoken"
        }
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { $0.login = login }
        try await withPool(channels: ["alpha"], configure: configure) { simulator, pool, log in
            try await log.waitUntil("the join") { $0.allJoined(["alpha"]) }
            // The simulator refuses NICK before PASS (IRC-L1), so a login proves the order.
            #expect(log.events.contains(.connected(connection: 1, login: "tumultebot")))
            let connection = try #require(simulator.connections().first)
            #expect(connection.login == "tumultebot")
            #expect(!connection.isAnonymous)
            #expect(calls.withLock { $0 } == [false])

            try await pool.send("GG, option 2 wins", to: "#Alpha")
            // IRC-G10: not echoed; the server answers with a USERSTATE carrying the new message's id.
            try await log.waitUntil("the USERSTATE of the sent message") { events in
                events.contains { event in
                    guard case .messages(let lines) = event else { return false }
                    return lines.contains { if case .userState(let state) = $0 { state.messageID != nil } else { false } }
                }
            }
            let sent = simulator.clientMessages()
            #expect(sent.map(\.channel) == ["alpha"])
            #expect(sent.map(\.text) == ["GG, option 2 wins"])
            #expect(sent.map(\.login) == ["tumultebot"])
            // IRC-S2: at most 500 characters.
            let error = await #expect(throws: ChatPoolError.self) {
                try await pool.send(String(repeating: "a", count: 501), to: "alpha")
            }
            #expect(error?.code == .messageTooLong)
        }
    }

    @Test func anonymousPoolRefusesToSendIRCL3() async throws {
        try await withPool(channels: ["alpha"]) { _, pool, log in
            try await log.waitUntil("the join") { $0.allJoined(["alpha"]) }
            let error = await #expect(throws: ChatPoolError.self) {
                try await pool.send("hello", to: "alpha")
            }
            #expect(error?.code == .anonymous)
        }
    }

    @Test func loginFailureRefreshesTheTokenAndRetriesIRCL5L6() async throws {
        let calls = Mutex<[Bool]>([])
        let login = ChatLogin.account("tumultebot") { refresh in
            calls.withLock { $0.append(refresh) }
            return refresh ? "freshtoken" : "expiredtoken"
        }
        let options = IRCSimulator.Options(rejectedTokens: ["expiredtoken"])
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { $0.login = login }
        try await withPool(options: options, channels: ["alpha"], configure: configure) { simulator, _, log in
            try await log.waitUntil("the join after the retry") { $0.allJoined(["alpha"]) }
            let failures = log.events.loginFailures
            #expect(failures.count == 1)
            #expect(failures.first?.reason.code == .loginFailed)
            // IRC-L6: the retry waits (jittered 0.5–1 × the configured 50 ms first step).
            #expect((failures.first?.retryAfter ?? .zero) >= .milliseconds(25))
            #expect(calls.withLock { $0 } == [false, true])
            #expect(simulator.commandCounts()["NICK"] == 2)
            #expect(log.events.contains(.connected(connection: 2, login: "tumultebot")))
        }
    }

    @Test func repeatedLoginFailuresBackOffExponentiallyIRCL5L6() async throws {
        let calls = Mutex<[Bool]>([])
        let login = ChatLogin.account("tumultebot") { refresh in
            calls.withLock { $0.append(refresh) }
            return "revokedtoken"
        }
        let options = IRCSimulator.Options(rejectedTokens: ["revokedtoken"])
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { $0.login = login }
        try await withPool(options: options, channels: ["alpha"], configure: configure) { simulator, _, log in
            try await log.waitUntil("three login failures") { $0.loginFailures.count >= 3 }
            let delays = log.events.loginFailures.prefix(3).map(\.retryAfter)
            // Nominal 50, 100, 200 ms, each jittered to 0.5–1 ×: never shorter than the previous one.
            #expect(delays[0] >= .milliseconds(25) && delays[0] <= .milliseconds(50))
            #expect(delays[1] >= .milliseconds(50) && delays[1] <= .milliseconds(100))
            #expect(delays[2] >= .milliseconds(100) && delays[2] <= .milliseconds(200))
            let refreshes = calls.withLock { $0 }
            #expect(refreshes.first == false)
            #expect(refreshes.dropFirst().allSatisfy { $0 })
            // One login attempt per failure (plus at most the one under way): no tight loop.
            let failures = log.events.loginFailures.count
            #expect(simulator.commandCounts()["NICK", default: 0] <= failures + 1)
        }
    }

    @Test func moreThanNinetyChannelsUseTwoConnectionsOpenedTwoSecondsApartIRCJ5() async throws {
        let channels = (1...95).map { "channel\($0)" }
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { configuration in
            configuration.connectionOpenInterval = .seconds(2)
            configuration.joinLimit = .verifiedBotJoins
        }
        try await withPool(
            channels: channels,
            configure: configure,
        ) { simulator, pool, log in
            try await log.waitUntil("95 joins", timeout: .seconds(30)) { $0.allJoined(channels) }
            let connections = simulator.connections().sorted { $0.connectedAt < $1.connectedAt }
            #expect(connections.count == 2)
            #expect(connections.allSatisfy { $0.joinedChannels.count <= 90 })
            #expect(connections.map(\.joinedChannels.count).sorted() == [5, 90])
            if connections.count == 2 {
                // The pool opens them 2 s apart; the simulator's accept stamps can land closer when a loaded machine
                // handles the first accept late, so only a clear violation (both at once) fails here.
                #expect(connections[1].connectedAt - connections[0].connectedAt >= .seconds(1))
            }
            var joinedPerConnection: [Int: Set<String>] = [:]
            for record in simulator.joinLog() { joinedPerConnection[record.connectionID, default: []].formUnion(record.channels) }
            #expect(joinedPerConnection.values.allSatisfy { $0.count <= 90 })
            #expect(joinedPerConnection.values.reduce(Set()) { $0.union($1) } == Set(channels))
            #expect(pool.status().connections == 2)
        }
    }

    @Test func joinsNeverExceedTheTokenBucketIRCJ3() async throws {
        let channels = (1...45).map { "room\($0)" }
        let limit = 20
        let window = Duration.seconds(3)
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { configuration in
            // Scaled down from 20 per 11 s against Twitch's 20 per 10 s: 20 per 5 s against a 3 s window. The 2 s
            // margin absorbs a delayed first burst on a loaded machine (the simulator stamps JOINs on receipt).
            configuration.joinLimit = ChatRateLimit(count: limit, period: .seconds(5))
        }
        try await withPool(
            channels: channels,
            configure: configure,
        ) { simulator, _, log in
            try await log.waitUntil("45 joins", timeout: .seconds(30)) { $0.allJoined(channels) }
            let log = simulator.joinLog()
            let joins = log.flatMap { record in record.channels.map { _ in record.instant } }.sorted()
            #expect(joins.count == 45)
            for (index, start) in joins.enumerated() {
                let inWindow = joins[index...].prefix { $0 < start + window }.count
                #expect(inWindow <= limit, "\(inWindow) JOINs within \(window) from JOIN \(index)")
            }
            // The limit was actually in force: the JOINs came in at least three bursts.
            #expect(Set(log.map(\.instant)).count >= 3)
        }
    }

    @Test func silentlyDroppedJoinTimesOutAndIsRetriedIRCJ2() async throws {
        let options = IRCSimulator.Options(nonexistentChannels: ["ghost"])
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { configuration in
            configuration.joinTimeout = .milliseconds(300)
        }
        try await withPool(
            options: options,
            channels: ["alpha", "ghost"],
            configure: configure,
        ) { simulator, pool, log in
            try await log.waitUntil("two JOIN timeouts") { $0.joinFailures("ghost").count >= 2 }
            #expect(log.events.joinFailures("ghost").allSatisfy { $0.code == .joinTimedOut })
            let ghostJoins = simulator.joinLog().filter { $0.channels.contains("ghost") }
            #expect(ghostJoins.count >= 2)
            #expect(log.events.allJoined(["alpha"]))
            #expect(log.events.joinedCount("ghost") == 0)
            #expect(pool.status().joinedChannels == ["alpha"])
        }
    }

    @Test func suspendedChannelIsReportedAsJoinFailedIRCJ2() async throws {
        let options = IRCSimulator.Options(suspendedChannels: ["banned"])
        try await withPool(options: options, channels: ["alpha", "banned"]) { simulator, pool, log in
            try await log.waitUntil("the suspension and the join") {
                !$0.joinFailures("banned").isEmpty && $0.allJoined(["alpha"])
            }
            #expect(log.events.joinFailures("banned").map(\.code) == [.channelSuspended])
            let status = pool.status()
            #expect(status.suspendedChannels == ["banned"])
            #expect(status.joinedChannels == ["alpha"])
            // Retried only after the long backoff (an hour here), not right away.
            #expect(simulator.joinLog().filter { $0.channels.contains("banned") }.count == 1)
        }
    }

    @Test func serverPingIsAnsweredIRCP1() async throws {
        try await withPool(channels: ["alpha"]) { simulator, _, log in
            try await log.waitUntil("the join") { $0.allJoined(["alpha"]) }
            await simulator.sendPing()
            try await simulator.waitUntil { $0.connections.first?.pongsReceived == 1 }
            #expect(simulator.connections().count == 1)
        }
    }

    @Test func missingPongMeansADeadConnectionAndReconnectsIRCP2() async throws {
        let proxy = Mutex<FreezableProxy?>(nil)
        defer { proxy.withLock { $0?.stop() } }
        let url: @Sendable (IRCSimulator) -> String = { simulator in
            let port = Int(simulator.url.split(separator: ":").last ?? "") ?? 0
            guard let relay = try? FreezableProxy(upstreamPort: port) else { return "ws://127.0.0.1:1" }
            proxy.withLock { $0 = relay }
            return relay.url
        }
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { configuration in
            configuration.pingInterval = .milliseconds(200)
            configuration.pongTimeout = .seconds(1)
        }
        try await withPool(
            channels: ["alpha"],
            url: url,
            configure: configure,
        ) { simulator, _, log in
            try await log.waitUntil("the join") { $0.allJoined(["alpha"]) }
            let old = try #require(simulator.connections().first).id
            // Healthy path: our PINGs are answered and nothing is declared dead.
            try await simulator.waitUntil(timeout: .seconds(30)) { $0.commandCounts["PING", default: 0] >= 2 }
            #expect(log.events.disconnections.isEmpty)

            try #require(proxy.withLock { $0 }).freezeExistingConnections()
            try await log.waitUntil("the dead connection") { !$0.disconnections.isEmpty }
            #expect(log.events.disconnections.map(\.reason.code) == [.keepaliveTimedOut])
            try await log.waitUntil("the rejoin") { $0.allJoined(["alpha"], times: 2) }
            // Generous: on a loaded machine the simulator notices the frozen connection's end late.
            try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.count == 1 && snapshot.connections[0].id != old
                    && snapshot.connections[0].joinedChannels == ["alpha"]
            }
            await simulator.privmsg(testMessage("m-after-dead"), in: "alpha")
            try await log.waitUntil("the message on the new connection") { $0.containsMessage(id: "m-after-dead") }
        }
    }

    @Test func reconnectJoinsTheNewConnectionBeforeClosingTheOldIRCR1R2() async throws {
        let channels = ["alpha", "beta"]
        // The server would close only after a minute: the pool closes the old connection itself.
        let options = IRCSimulator.Options(reconnectCloseDelay: .seconds(60))
        try await withPool(options: options, channels: channels) { simulator, pool, log in
            try await log.waitUntil("the joins") { $0.allJoined(channels) }
            let old = try #require(simulator.connections().first).id
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Watches the server's state from before the RECONNECT: both connections joined at once.
                group.addTask { try await simulator.waitForJoined(Set(channels), connections: 2, timeout: .seconds(15)) }
                await simulator.sendReconnect(to: old)
                // Sent during the switch-over: arrives on the old connection, the new one, or both.
                await simulator.privmsg(testMessage("m-during"), in: "alpha")
                try await group.waitForAll()
            }
            try await log.waitUntil("the old connection closed") { events in
                events.disconnections.contains { $0.connection == old }
            }
            let events = log.events
            #expect(events.disconnections.map(\.connection) == [old])
            #expect(events.disconnections.first?.reason.code == .reconnectRequested)
            // Each channel was confirmed again, on the new connection.
            #expect(events.allJoined(channels, times: 2))
            try await simulator.waitUntil { snapshot in
                snapshot.connections.count == 1 && snapshot.connections[0].id != old
            }
            await simulator.privmsg(testMessage("m-after"), in: "beta")
            try await log.waitUntil("both messages") { $0.containsMessage(id: "m-during") && $0.containsMessage(id: "m-after") }
            #expect(pool.status().connections == 1)
        }
    }

    @Test func aLoginChangeReplacesTheConnectionMakeBeforeBreakIRCL1L3R2() async throws {
        // No replay of recent lines after a JOIN: a message is received only if a joined connection read it.
        let options = IRCSimulator.Options(replayWindow: 0)
        let channels = (0..<90).map { "room\($0)" }
        // JOINs at 45 per second: moving the 90 channels takes about 2 s, during which messages keep coming.
        let configure: (inout ChatConnectionPoolConfiguration) -> Void = { $0.joinLimit = ChatRateLimit(count: 45, period: .seconds(1)) }
        try await withPool(options: options, channels: channels, configure: configure) { simulator, pool, log in
            try await log.waitUntil("the joins") { $0.allJoined(channels) }
            let old = try #require(simulator.connections().first)
            #expect(simulator.connections().count == 1 && old.isAnonymous)

            // Messages keep coming, one every 2 ms, across the whole change.
            let progress = SenderProgress()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !progress.swapped.withLock({ $0 }) {
                        let index = progress.sent.withLock { count in
                            defer { count += 1 }
                            return count
                        }
                        await simulator.privmsg(testMessage("m-\(index)"), in: channels[index % channels.count])
                        try await Task.sleep(for: .milliseconds(2))
                    }
                }
                pool.changeLogin(.account("TumulteBot") { _ in "goodtoken" })
                let atChange = progress.sent.withLock { $0 }
                #expect(!pool.login.isAnonymous)
                // Make-before-break: at one moment every channel is joined on both connections.
                try await simulator.waitForJoined(Set(channels), connections: 2, timeout: .seconds(30))
                try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                    snapshot.connections.count == 1 && snapshot.connections[0].login == "tumultebot"
                        && Set(snapshot.connections[0].joinedChannels) == Set(channels)
                }
                // Some were sent while the connections were being swapped.
                #expect(progress.sent.withLock { $0 } > atChange)
                progress.swapped.withLock { $0 = true }
                try await group.waitForAll()
            }
            let count = progress.sent.withLock { $0 }
            try await log.waitUntil("every message sent during the change") { events in
                (0..<count).allSatisfy { events.containsMessage(id: "m-\($0)") }
            }
            #expect(log.events.disconnections.map(\.reason.code) == [.loginChanged])

            try await pool.send("now the bot", to: "room0")
            try await log.waitUntil("the USERSTATE of the sent message") { events in
                events.contains { event in
                    guard case .messages(let lines) = event else { return false }
                    return lines.contains { if case .userState(let state) = $0 { state.messageID != nil } else { false } }
                }
            }
            #expect(simulator.clientMessages().map(\.login) == ["tumultebot"])

            // And back: anonymous again.
            pool.changeLogin(.anonymous)
            try await simulator.waitUntil(timeout: .seconds(30)) { snapshot in
                snapshot.connections.count == 1 && snapshot.connections[0].isAnonymous
                    && Set(snapshot.connections[0].joinedChannels) == Set(channels)
            }
            let error = await #expect(throws: ChatPoolError.self) { try await pool.send("hello", to: "room0") }
            #expect(error?.code == .anonymous)
        }
    }

    @Test func hardDropReconnectsAndRejoinsEverythingIRCR3J6() async throws {
        let channels = ["alpha", "beta", "gamma"]
        try await withPool(channels: channels) { simulator, pool, log in
            try await log.waitUntil("the joins") { $0.allJoined(channels) }
            let old = try #require(simulator.connections().first).id
            await simulator.dropConnections()
            try await log.waitUntil("the rejoins", timeout: .seconds(60)) { $0.allJoined(channels, times: 2) }
            try await simulator.waitForJoined(Set(channels), timeout: .seconds(30))
            let connection = try #require(simulator.connections().first)
            #expect(connection.id != old)
            #expect(log.events.disconnections.map(\.connection) == [old])
            // IRC-J6: the new connection JOINed every channel again.
            let rejoined = simulator.joinLog().filter { $0.connectionID == connection.id }.flatMap(\.channels)
            #expect(Set(rejoined) == Set(channels))
            await simulator.privmsg(testMessage("m-after-drop"), in: "gamma")
            try await log.waitUntil("the message after the rejoin") { $0.containsMessage(id: "m-after-drop") }
            #expect(pool.status().joinedChannels == Set(channels))
        }
    }

    @Test func partingAndReplacingChannelsIRCJ1() async throws {
        try await withPool(channels: ["alpha", "beta", "gamma"]) { simulator, pool, log in
            try await log.waitUntil("the joins") { $0.allJoined(["alpha", "beta", "gamma"]) }
            pool.part(["#Beta"])
            try await log.waitUntil("the part") { $0.contains(.parted(channel: "beta")) }
            try await simulator.waitUntil { $0.connections.first?.joinedChannels == ["alpha", "gamma"] }
            #expect(pool.status().wantedChannels == ["alpha", "gamma"])

            pool.setChannels(["alpha", "delta"])
            try await log.waitUntil("the replacement") { $0.contains(.parted(channel: "gamma")) && $0.allJoined(["delta"]) }
            try await simulator.waitUntil { $0.connections.first?.joinedChannels == ["alpha", "delta"] }
            #expect(pool.status().joinedChannels == ["alpha", "delta"])
            // Joining a channel already joined sends nothing new.
            let joinsBefore = simulator.joinLog().count
            pool.join(["alpha"])
            pool.part(["unknown"])
            #expect(pool.status().wantedChannels == ["alpha", "delta"])
            await simulator.privmsg(testMessage("m-sync"), in: "alpha")
            try await log.waitUntil("a later message") { $0.containsMessage(id: "m-sync") }
            #expect(simulator.joinLog().count == joinsBefore)
        }
    }

    @Test func badURLOrCertificateFileFailsRunWithAClearError() async throws {
        for configuration in [
            ChatConnectionPoolConfiguration(url: "https://irc-ws.chat.twitch.tv"),
            ChatConnectionPoolConfiguration(trustedCertificatesFile: "/nonexistent/tumulte-ca.pem"),
        ] {
            let pool = ChatConnectionPool(configuration: configuration, logger: poolTestLogger)
            let error = await #expect(throws: ChatPoolError.self) { try await pool.run() }
            #expect(error?.code == .invalidConfiguration)
        }
    }

    @Test func gracefulShutdownClosesTheConnectionsAndEndsTheEvents() async throws {
        let simulator = IRCSimulator(logger: poolTestLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            _ = await simulator.boundPort()
            let pool = ChatConnectionPool(configuration: .forTests(url: simulator.url), logger: poolTestLogger)
            pool.setChannels(["alpha"])
            let serviceGroup = ServiceGroup(services: [pool], logger: poolTestLogger)
            // Nothing here is cancelled: the pool's run() and the event sequence must end by themselves.
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await serviceGroup.run() }
                services.addTask {
                    await pool.withEvents { events in
                        for await _ in events {}
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await serviceGroup.triggerGracefulShutdown()
                try await services.waitForAll()
            }
            try await simulator.waitUntil { $0.connections.isEmpty }
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}

/// How far a background sender got, and when to stop.
private final class SenderProgress: Sendable {
    /// Messages sent so far.
    let sent = Mutex(0)
    /// Set when the sender should stop.
    let swapped = Mutex(false)
}
