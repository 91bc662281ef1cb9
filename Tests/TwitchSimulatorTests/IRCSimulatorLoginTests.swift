import ChatBridge
import Testing
import TwitchSimulator
import WSClient

/// Login, capabilities and framing of the simulated Twitch IRC server (IRC-L*, IRC-C*, IRC-T2).
@Suite(.timeLimit(.minutes(1)))
struct IRCSimulatorLoginTests {
    @Test func boundPortAndURLPointAtTheListeningSocket() async throws {
        try await withSimulator { simulator in
            let port = await simulator.boundPort()
            #expect(port > 0)
            #expect(simulator.url == "ws://127.0.0.1:\(port)")
        }
    }

    @Test func loginBurstInOrderInOneFrameIRCL4IRCC2IRCT2() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                let burst = try await client.logIn(nick: "tumultebot")
                #expect(burst.map { String($0.command) } == ["CAP", "001", "002", "003", "004", "375", "372", "376", "GLOBALUSERSTATE"])
                #expect(burst.first?.description == ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands")
                #expect(ChatEvent(burst[0]) == .capAck(["twitch.tv/tags", "twitch.tv/commands"]))
                #expect(ChatEvent(burst[1]) == .welcome(login: "tumultebot"))
                #expect(burst[1].description == ":tmi.twitch.tv 001 tumultebot :Welcome, GLHF!")
                #expect(burst[2].trailing == "Your host is tmi.twitch.tv")
                #expect(burst[3].trailing == "This server is rather new")
                #expect(burst[5].trailing == "-")
                #expect(burst[6].trailing == "You are in a maze of twisty passages, all alike.")
                #expect(burst[7].trailing == ">")
                guard case .globalUserState(let state) = ChatEvent(burst[8]) else {
                    Issue.record("expected GLOBALUSERSTATE, got \(burst[8])")
                    return
                }
                #expect(state.displayName == "tumultebot")
                #expect(!state.userID.isEmpty)
                // The whole burst (ACK, numerics, GLOBALUSERSTATE) came as one frame of CRLF-separated lines.
                #expect(client.framesReceived == 1)
                let info = try #require(simulator.connections().first)
                #expect(info.login == "tumultebot")
                #expect(!info.isAnonymous)
                #expect(info.capabilities == ["twitch.tv/tags", "twitch.tv/commands"])
            }
            #expect(simulator.commandCounts()["NICK"] == 1)
            #expect(simulator.commandCounts()["PASS"] == 1)
            #expect(simulator.commandCounts()["CAP"] == 1)
        }
    }

    @Test func anonymousJustinfanLoginWithoutPassIRCL3() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                let burst = try await client.logIn(nick: "justinfan12345", token: nil)
                #expect(burst.map { String($0.command) } == ["CAP", "001", "002", "003", "004", "375", "372", "376"])
                // No GLOBALUSERSTATE for an anonymous login.
                #expect(try await client.sync().isEmpty)
                try await client.join("alpha")
                let info = try #require(simulator.connections().first)
                #expect(info.login == "justinfan12345")
                #expect(info.isAnonymous)
                #expect(info.joinedChannels == ["alpha"])
            }
        }
    }

    @Test func anonymousLoginAcceptsADummyPassIRCL3() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.send("PASS SCHMOOPIIE", "NICK justinfan4242")
                #expect(try await client.nextMessage().command == "001")
            }
        }
    }

    @Test func rejectedTokenGetsLoginFailedNoticeThenCloseIRCL5() async throws {
        let options = IRCSimulator.Options(rejectedTokens: ["expired"])
        try await withSimulator(options) { simulator in
            try await withIRCClient(simulator) { client in
                try await client.send(IRCOutgoing.capabilityRequest(), IRCOutgoing.pass(token: "expired"), IRCOutgoing.nick("bot"))
                #expect(try await client.next("CAP").description == ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands")
                let notice = try await client.nextMessage()
                #expect(notice.description == ":tmi.twitch.tv NOTICE * :Login authentication failed")
                guard case .notice(let parsed) = ChatEvent(notice) else {
                    Issue.record("expected NOTICE, got \(notice)")
                    return
                }
                #expect(parsed.isLoginFailure)
                #expect(parsed.messageID == nil)
                #expect(try await client.endsWithoutMoreLines())
            }
            try await simulator.waitUntil { $0.connections.isEmpty }
        }
    }

    @Test func passAfterNickIsImproperlyFormattedAuthThenCloseIRCL1() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.send(IRCOutgoing.nick("bot"), IRCOutgoing.pass(token: "fine"))
                let notice = try await client.nextMessage()
                #expect(notice.description == ":tmi.twitch.tv NOTICE * :Improperly formatted auth")
                guard case .notice(let parsed) = ChatEvent(notice) else {
                    Issue.record("expected NOTICE, got \(notice)")
                    return
                }
                #expect(parsed.isLoginFailure)
                #expect(try await client.endsWithoutMoreLines())
            }
        }
    }

    @Test func unknownCapabilityIsRefusedWithNakIRCC2() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.send("CAP REQ :twitch.tv/tags twitch.tv/foo")
                let nak = try await client.nextMessage()
                #expect(nak.description == ":tmi.twitch.tv CAP * NAK :twitch.tv/tags twitch.tv/foo")
                #expect(ChatEvent(nak) == .capNak(["twitch.tv/tags", "twitch.tv/foo"]))
            }
        }
    }

    @Test func withoutCapabilitiesThereAreNoTagsAndNoCommandsOnlyLinesIRCC1() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                let burst = try await client.logIn(nick: "plainbot", capabilities: false)
                #expect(burst.map { String($0.command) } == ["001", "002", "003", "004", "375", "372", "376"])
                try await client.send("JOIN #alpha")
                let replies = try await client.sync()
                // No USERSTATE / ROOMSTATE without twitch.tv/commands.
                #expect(replies.map { String($0.command) } == ["JOIN", "353", "366"])
                await simulator.privmsg(fixedMessage(1), in: "alpha")
                let line = try #require(try await client.nextLine())
                #expect(line == ":viewer1!viewer1@viewer1.tmi.twitch.tv PRIVMSG #alpha :!vote 1")
            }
        }
    }
}
