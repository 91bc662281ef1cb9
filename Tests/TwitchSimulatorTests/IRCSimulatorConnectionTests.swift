import ChatBridge
import Logging
import ServiceLifecycle
import Testing
import TwitchSimulator
import WSClient

/// Keepalive, RECONNECT, network cuts and shutdown (IRC-P*, IRC-R*).
@Suite(.timeLimit(.minutes(1)))
struct IRCSimulatorConnectionTests {
    @Test func clientPingGetsPongEchoingItsTextIRCP2() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.send("PING :hello there")
                let pong = try await client.nextMessage()
                #expect(pong.description == ":tmi.twitch.tv PONG tmi.twitch.tv :hello there")
                #expect(ChatEvent(pong) == .pong(text: "hello there"))
                // tmi.js sends a bare PING without CRLF (IRC-T4).
                try await client.send("PING")
                #expect(try await client.nextMessage().description == ":tmi.twitch.tv PONG tmi.twitch.tv :tmi.twitch.tv")
            }
        }
    }

    @Test func serverPingIsAnsweredAndCountedIRCP1() async throws {
        try await withSimulator { simulator in
            // The client stays connected until the count has been seen: a closed connection leaves the simulator's
            // state, and with it its count (under load the close could come before the check).
            let (counted, signalCounted) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        let ping = try await client.next("PING")
                        #expect(ping.description == "PING :tmi.twitch.tv")
                        guard case .ping(let text) = ChatEvent(ping) else {
                            Issue.record("expected PING")
                            return
                        }
                        try await client.send(IRCOutgoing.pong(text))
                        for await _ in counted { break }
                        // Still connected afterwards.
                        #expect(try await client.sync().isEmpty)
                    }
                }
                try await simulator.waitForLoggedInConnections(1)
                await simulator.sendPing()
                try await simulator.waitUntil { $0.connections.first?.pongsReceived == 1 }
                signalCounted.yield()
                try await group.waitForAll()
            }
        }
    }

    @Test func unansweredServerPingClosesTheConnectionIRCP1() async throws {
        try await withSimulator(.init(pongTimeout: .milliseconds(100))) { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        _ = try await client.next("PING")
                        #expect(try await client.endsWithoutMoreLines())
                    }
                }
                try await simulator.waitForLoggedInConnections(1)
                await simulator.sendPing()
                try await group.waitForAll()
            }
            try await simulator.waitUntil { $0.connections.isEmpty }
        }
    }

    @Test func automaticPingsFollowPingIntervalIRCP1() async throws {
        try await withSimulator(.init(pingInterval: .milliseconds(20))) { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                for _ in 0..<3 {
                    _ = try await client.next("PING")
                    try await client.send(IRCOutgoing.pong("tmi.twitch.tv"))
                }
            }
        }
    }

    @Test func reconnectIsFollowedByCloseAfterTheDelayIRCR1() async throws {
        // Long enough that a loaded machine still reads the RECONNECT and answers a PING before the close.
        let delay = Duration.seconds(3)
        try await withSimulator(.init(reconnectCloseDelay: delay)) { simulator in
            try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        let reconnect = try await client.nextMessage()
                        #expect(reconnect.description == ":tmi.twitch.tv RECONNECT")
                        #expect(ChatEvent(reconnect) == .reconnect)
                        // Still served after the RECONNECT, until the close: a PING is answered. (No assertion on
                        // the delay's wall-clock length: a loaded machine reads the RECONNECT late.)
                        #expect(try await client.sync().isEmpty)
                        #expect(try await client.endsWithoutMoreLines())
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.sendReconnect()
                let close = try await group.next() ?? nil
                #expect(closeCodeName(close) == "goingAway")
            }
        }
    }

    @Test func reconnectTargetsOneConnectionIRCR1() async throws {
        try await withSimulator(.init(reconnectCloseDelay: .zero)) { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn(nick: "first")
                        #expect(try await client.nextMessage().command == "RECONNECT")
                        #expect(try await client.endsWithoutMoreLines())
                    }
                }
                try await simulator.waitForLoggedInConnections(1)
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn(nick: "second")
                        // The first connection's RECONNECT is not sent here.
                        _ = try await client.next("PRIVMSG")
                    }
                }
                try await simulator.waitForLoggedInConnections(2)
                let first = try #require(simulator.connections().first { $0.login == "first" })
                await simulator.sendReconnect(to: first.id)
                try await simulator.waitForLoggedInConnections(1)
                #expect(simulator.connections().map(\.login) == ["second"])
                await simulator.sendRaw(toAll: ":viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #second :done")
                try await group.waitForAll()
            }
        }
    }

    @Test func dropConnectionsCutsWithoutCloseFrameIRCR3() async throws {
        try await withSimulator { simulator in
            try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        #expect(try await client.endsWithoutMoreLines())
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.dropConnections()
                #expect(simulator.connections().isEmpty)
                let close = try await group.next() ?? nil
                #expect(close == nil)
            }
        }
    }

    @Test func gracefulShutdownClosesConnectionsWithGoingAway() async throws {
        let simulator = IRCSimulator(logger: testLogger)
        let serviceGroup = ServiceGroup(services: [simulator], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serviceGroup.run() }
            _ = await simulator.boundPort()
            group.addTask {
                let close = try await withIRCClient(simulator) { client in
                    try await client.logIn()
                    #expect(try await client.endsWithoutMoreLines())
                }
                #expect(closeCodeName(close) == "goingAway")
            }
            try await simulator.waitForLoggedInConnections(1)
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        #expect(await simulator.boundPort() == 0)
    }
}
