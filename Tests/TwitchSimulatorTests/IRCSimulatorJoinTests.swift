import ChatBridge
import Testing
import TwitchSimulator
import WSClient

/// JOIN / PART behaviour and the join log (IRC-J1, IRC-J2, IRC-J3, IRC-J6).
@Suite(.timeLimit(.minutes(1)))
struct IRCSimulatorJoinTests {
    @Test func joinRepliesEndWithFullRoomStateCarryingRoomIDIRCJ1IRCG11() async throws {
        try await withSimulator { simulator in
            let room = simulator.roomID(of: "alpha")
            try await withIRCClient(simulator) { client in
                try await client.logIn(nick: "tumultebot")
                try await client.send("JOIN #alpha")
                let replies = try await client.sync()
                #expect(
                    replies.map(\.description) == [
                        ":tumultebot!tumultebot@tumultebot.tmi.twitch.tv JOIN #alpha",
                        ":tumultebot.tmi.twitch.tv 353 tumultebot = #alpha :tumultebot",
                        ":tumultebot.tmi.twitch.tv 366 tumultebot #alpha :End of /NAMES list",
                        "@badge-info=;badges=;color=;display-name=tumultebot;emote-sets=0;mod=0;subscriber=0;user-type= "
                            + ":tmi.twitch.tv USERSTATE #alpha",
                        "@emote-only=0;followers-only=-1;r9k=0;room-id=\(room);slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #alpha",
                    ]
                )
                #expect(ChatEvent(replies[0]) == .join(channel: "alpha", login: "tumultebot"))
                guard case .roomState(let state) = ChatEvent(replies[4]) else {
                    Issue.record("expected ROOMSTATE, got \(replies[4])")
                    return
                }
                #expect(state.channel == "alpha")
                #expect(state.roomID == room)
                #expect(state.followersOnlyMinutes == -1)
                #expect(state.slowSeconds == 0)
                #expect(state.emoteOnly == false)
                #expect(state.subscribersOnly == false)
                #expect(state.uniqueChat == false)
                #expect(simulator.connections().first?.joinedChannels == ["alpha"])
            }
        }
    }

    @Test func multiChannelJoinRepliesPerChannelInOrderIRCJ1() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                try await client.send("JOIN #alpha,#Beta")
                let replies = try await client.sync()
                #expect(replies.filter { $0.command == "ROOMSTATE" }.map { $0.firstParam } == ["#alpha", "#beta"])
                #expect(replies.count == 10)
                try await simulator.waitForJoined(["alpha", "beta"])
            }
        }
    }

    @Test func roomIDsAreStablePerChannelAndOverridable() async throws {
        let first = IRCSimulator(logger: testLogger)
        let second = IRCSimulator(options: .init(roomIDs: ["Gamma": "42"]), logger: testLogger)
        #expect(first.roomID(of: "alpha") == second.roomID(of: "#ALPHA"))
        #expect(first.roomID(of: "alpha") != first.roomID(of: "beta"))
        let digitsOnly = first.roomID(of: "alpha").allSatisfy { $0.isNumber }
        #expect(digitsOnly)
        #expect(second.roomID(of: "gamma") == "42")
    }

    @Test func joinToNonexistentChannelIsSilentlyDroppedIRCJ2() async throws {
        try await withSimulator(.init(nonexistentChannels: ["ghost"])) { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                try await client.send("JOIN #ghost")
                #expect(try await client.sync().isEmpty)
                try await client.send("JOIN #ghost,#alpha")
                let replies = try await client.sync()
                #expect(replies.allSatisfy { $0.firstParam != "#ghost" })
                #expect(replies.filter { $0.command == "ROOMSTATE" }.count == 1)
                #expect(simulator.connections().first?.joinedChannels == ["alpha"])
            }
            #expect(simulator.joinLog().map(\.channels) == [["ghost"], ["ghost", "alpha"]])
        }
    }

    @Test func suspendedChannelGetsMsgChannelSuspendedNoticeIRCJ2() async throws {
        try await withSimulator(.init(suspendedChannels: ["banned"])) { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                try await client.send("JOIN #banned")
                let replies = try await client.sync()
                #expect(
                    replies.map(\.description) == [
                        "@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #banned :This channel has been suspended."
                    ]
                )
                guard case .notice(let notice) = ChatEvent(replies[0]) else {
                    Issue.record("expected NOTICE")
                    return
                }
                #expect(notice.channel == "banned")
                #expect(notice.messageID == "msg_channel_suspended")
                #expect(simulator.connections().first?.joinedChannels == [])
            }
        }
    }

    @Test func partLeavesTheChannelAndStopsDelivery() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn(nick: "bot")
                try await client.join("alpha", "beta")
                try await client.send("PART #alpha")
                let replies = try await client.sync()
                #expect(replies.map(\.description) == [":bot!bot@bot.tmi.twitch.tv PART #alpha"])
                #expect(ChatEvent(replies[0]) == .part(channel: "alpha", login: "bot"))
                await simulator.privmsg(fixedMessage(1), in: "alpha")
                await simulator.privmsg(fixedMessage(2), in: "beta")
                #expect(try await client.privmsgs(1).map(\.channel) == ["beta"])
            }
        }
    }

    @Test func joinLogRecordsChannelsConnectionAndOrderIRCJ3() async throws {
        try await withSimulator(.init(nonexistentChannels: ["ghost"])) { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn(nick: "bot")
                try await client.join("alpha", "beta")
                try await client.send("JOIN #ghost")
                try await client.join("gamma")
            }
            let log = simulator.joinLog()
            #expect(log.map(\.channels) == [["alpha", "beta"], ["ghost"], ["gamma"]])
            #expect(Set(log.map(\.connectionID)).count == 1)
            #expect(log.allSatisfy { $0.login == "bot" })
            #expect(zip(log, log.dropFirst()).allSatisfy { $0.instant <= $1.instant && $0.sinceStart <= $1.sinceStart })
            #expect(simulator.commandCounts()["JOIN"] == 3)
            #expect(simulator.snapshot().joinCommandCount == 3)
        }
    }

    @Test func waitForJoinedCountsConnectionsPerChannelIRCJ6() async throws {
        try await withSimulator { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for nick in ["first", "second"] {
                    group.addTask {
                        try await withIRCClient(simulator) { client in
                            try await client.logIn(nick: nick)
                            try await client.join("alpha")
                            // Stay connected until the test has seen both joins.
                            _ = try await client.next("PRIVMSG")
                        }
                    }
                }
                try await simulator.waitForJoined(["alpha"], connections: 2)
                #expect(simulator.snapshot().connectionCount(joined: "#alpha") == 2)
                await #expect(throws: IRCSimulatorError.self) {
                    try await simulator.waitForJoined(["alpha"], connections: 3, timeout: .milliseconds(50))
                }
                await simulator.privmsg(fixedMessage(1), in: "alpha")
                try await group.waitForAll()
            }
        }
    }
}
