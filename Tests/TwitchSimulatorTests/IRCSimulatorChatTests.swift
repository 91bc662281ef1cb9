import ChatBridge
import Testing
import TwitchSimulator
import WSClient

/// Chat delivery: PRIVMSG lines, tags, escaping, batches, replay and duplicates (IRC-G*, IRC-T2, IRC-T5).
@Suite(.timeLimit(.minutes(1)))
struct IRCSimulatorChatTests {
    @Test func privmsgHasExactTagsInTwitchOrderAndReachesOnlyJoinedConnectionsIRCG7() async throws {
        try await withSimulator { simulator in
            let room = simulator.roomID(of: "alpha")
            let message = SimulatedMessage(
                userID: "44322889",
                login: "riotgames",
                displayName: "Riot Games",
                text: "!vote 2",
                id: "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
                sentAtMilliseconds: 1_507_246_572_675,
                badges: ["subscriber/12", "premium/1"],
                badgeInfo: "subscriber/14",
                color: "#1E90FF",
                isSubscriber: true,
                clientNonce: "c0ffee"
            )
            let expected =
                "@badge-info=subscriber/14;badges=subscriber/12,premium/1;client-nonce=c0ffee;color=#1E90FF;"
                + "display-name=Riot\\sGames;emotes=;first-msg=0;flags=;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;"
                + "returning-chatter=0;room-id=\(room);subscriber=1;tmi-sent-ts=1507246572675;turbo=0;user-id=44322889;"
                + "user-type= :riotgames!riotgames@riotgames.tmi.twitch.tv PRIVMSG #alpha :!vote 2"
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn(nick: "alphabot")
                        try await client.join("alpha")
                        let line = try #require(try await client.nextLine())
                        #expect(line == expected)
                        let chat = try #require(ChatMessage(try IRCMessage(parsing: line)))
                        #expect(chat.channel == "alpha")
                        #expect(chat.roomID == room)
                        #expect(chat.userID == "44322889")
                        #expect(chat.login == "riotgames")
                        #expect(chat.displayName == "Riot Games")
                        #expect(chat.messageID == "b34ccfc7-4977-403a-8a94-33c6bac34fb8")
                        #expect(chat.text == "!vote 2")
                        #expect(chat.sentAtMilliseconds == 1_507_246_572_675)
                        #expect(chat.isSubscriber)
                        #expect(!chat.isModerator && !chat.isVIP && !chat.isAction)
                        #expect(chat.badges.map(\.set) == ["subscriber", "premium"])
                        #expect(chat.reply == nil)
                        #expect(chat.sourceMessageID == nil)
                    }
                }
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn(nick: "betabot")
                        try await client.join("beta")
                        // The alpha message is written before this one, so it would arrive first if misrouted.
                        let first = try await client.privmsgs(1)
                        #expect(first.map(\.messageID) == ["00000000-0000-4000-8000-000000000007"])
                    }
                }
                try await simulator.waitForJoined(["alpha", "beta"])
                await simulator.privmsg(message, in: "#alpha")
                await simulator.privmsg(fixedMessage(7), in: "beta")
                try await group.waitForAll()
            }
        }
    }

    @Test func actionReplySharedChatAndEscapingRoundTripThroughChatBridgeIRCG3IRCG4IRCG8IRCG9() async throws {
        try await withSimulator { simulator in
            let source = simulator.roomID(of: "origin")
            let messages = [
                SimulatedMessage(userID: "1", login: "dancer", text: "votes 3", isAction: true, id: "id-action"),
                SimulatedMessage(
                    userID: "2",
                    login: "replier",
                    text: "!vote 1",
                    id: "id-reply",
                    reply: .init(messageID: "id-parent", userID: "3", login: "gm", displayName: "GM", body: "Vote now; pick 1\\2 \r\nplease")
                ),
                SimulatedMessage(
                    userID: "4",
                    login: "guest",
                    displayName: "Ünïcode; Name\\x",
                    text: "2",
                    id: "id-shared",
                    sharedChat: .init(messageID: "id-source", roomID: source),
                    badges: ["moderator/1"],
                    isModerator: true,
                    isVIP: true,
                    isFirstMessage: true,
                    bits: 100
                ),
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        var lines: [String] = []
                        for _ in 0..<3 { lines.append(try #require(try await client.nextLine())) }
                        let chats = try lines.map { try #require(ChatMessage(try IRCMessage(parsing: $0))) }

                        #expect(lines[0].hasSuffix("PRIVMSG #alpha :\u{01}ACTION votes 3\u{01}"))
                        #expect(chats[0].isAction)
                        #expect(chats[0].text == "votes 3")

                        #expect(lines[1].hasSuffix("PRIVMSG #alpha :@GM !vote 1"))
                        #expect(chats[1].text == "@GM !vote 1")
                        let reply = try #require(chats[1].reply)
                        #expect(reply.messageID == "id-parent")
                        #expect(reply.userID == "3")
                        #expect(reply.login == "gm")
                        #expect(reply.displayName == "GM")
                        #expect(reply.body == "Vote now; pick 1\\2 \r\nplease")
                        #expect(reply.threadMessageID == "id-parent")
                        #expect(lines[1].contains("reply-parent-msg-body=Vote\\snow\\:\\spick\\s1\\\\2\\s\\r\\nplease;"))

                        #expect(chats[2].displayName == "Ünïcode; Name\\x")
                        #expect(chats[2].sourceMessageID == "id-source")
                        #expect(chats[2].sourceRoomID == source)
                        #expect(chats[2].isSharedChatCopy)
                        #expect(chats[2].isModerator && chats[2].isVIP && chats[2].isFirstMessage)
                        #expect(chats[2].bits == 100)
                        #expect(chats[2].raw.tag("user-type") == "mod")
                        #expect(chats[2].raw.tag("source-badges") == "moderator/1")
                        #expect(lines[2].hasSuffix(";user-type=mod;vip=1 :guest!guest@guest.tmi.twitch.tv PRIVMSG #alpha :2"))
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.privmsgs(messages.map { (channel: "alpha", message: $0) })
                try await group.waitForAll()
            }
        }
    }

    @Test func batchOfTenThousandMessagesIsDeliveredCompletelyManyLinesPerFrameIRCT2() async throws {
        let count = 10_000
        let batch = (0..<count).map { index in
            (channel: index.isMultiple(of: 2) ? "alpha" : "beta", message: fixedMessage(index, text: "!vote \(index % 4 + 1)"))
        }
        try await withSimulator { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha", "beta")
                        let framesBefore = client.framesReceived
                        let chats = try await client.privmsgs(count)
                        #expect(Set(chats.map(\.messageID)).count == count)
                        #expect(chats.filter { $0.channel == "alpha" }.count == count / 2)
                        // Per connection, lines keep the order given.
                        #expect(chats.map(\.messageID) == batch.map(\.message.id))
                        let frames = client.framesReceived - framesBefore
                        #expect(frames * 10 < count, "expected many lines per frame, got \(frames) frames")
                        #expect(try await client.sync().isEmpty)
                    }
                }
                try await simulator.waitForJoined(["alpha", "beta"])
                await simulator.privmsgs(batch)
                try await group.waitForAll()
            }
        }
    }

    @Test func replayOnRejoinResendsBufferedLinesWithSameIDsIRCT5() async throws {
        try await withSimulator(.init(replayWindow: 4)) { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        #expect(try await client.privmsgs(3).map(\.messageID) == (1...3).map { fixedMessage($0).id })
                        // Tell the test the three were read (an unsolicited PONG gets no reply).
                        try await client.send(IRCOutgoing.pong("read"))
                        // Wait for the cut; the stream ends without a close frame.
                        #expect(try await client.endsWithoutMoreLines())
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.privmsgs((1...3).map { (channel: "alpha", message: fixedMessage($0)) })
                try await simulator.waitUntil { $0.connections.first?.pongsReceived == 1 }
                await simulator.dropConnections()
                try await group.waitForAll()
            }
            // Sent while nobody is connected: only the replay can deliver it.
            await simulator.privmsg(fixedMessage(4), in: "alpha")
            await simulator.privmsg(fixedMessage(5), in: "alpha")
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                try await client.send("JOIN #alpha")
                let replies = try await client.sync()
                #expect(
                    replies.map { String($0.command) } == ["JOIN", "353", "366", "USERSTATE", "ROOMSTATE"] + Array(repeating: "PRIVMSG", count: 4)
                )
                let replayed = replies.filter { $0.command == "PRIVMSG" }.compactMap(ChatMessage.init)
                // The ring keeps the last four, oldest first, ids unchanged.
                #expect(replayed.map(\.messageID) == (2...5).map { fixedMessage($0).id })
            }
        }
    }

    @Test func replayWindowZeroDisablesReplayIRCT5() async throws {
        try await withSimulator(.init(replayWindow: 0)) { simulator in
            await simulator.privmsg(fixedMessage(1), in: "alpha")
            try await withIRCClient(simulator) { client in
                try await client.logIn()
                try await client.send("JOIN #alpha")
                #expect(try await client.sync().map { String($0.command) } == ["JOIN", "353", "366", "USERSTATE", "ROOMSTATE"])
            }
        }
    }

    @Test func repeatProbabilityDeliversDuplicatesWithTheSameIDIRCT5() async throws {
        try await withSimulator(.init(repeatProbability: 1)) { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        let chats = try await client.privmsgs(20)
                        let ids = (0..<10).map { fixedMessage($0).id }
                        #expect(chats.map(\.messageID) == ids.flatMap { [$0, $0] })
                        #expect(try await client.sync().isEmpty)
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.privmsgs((0..<10).map { (channel: "alpha", message: fixedMessage($0)) })
                try await group.waitForAll()
            }
        }
    }

    @Test func clearMessageAndClearChatIRCG12() async throws {
        try await withSimulator { simulator in
            let room = simulator.roomID(of: "alpha")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        guard case .clearMessage(let deleted) = ChatEvent(try await client.nextMessage()) else {
                            Issue.record("expected CLEARMSG")
                            return
                        }
                        #expect(deleted.channel == "alpha")
                        #expect(deleted.targetMessageID == "msg-1")
                        #expect(deleted.login == "ronni")
                        #expect(deleted.text == "!vote 9")
                        guard case .clearChat(let timeout) = ChatEvent(try await client.nextMessage()) else {
                            Issue.record("expected CLEARCHAT")
                            return
                        }
                        #expect(timeout.targetUserID == "87654321")
                        #expect(timeout.targetLogin == "ronni")
                        #expect(timeout.banDurationSeconds == 600)
                        #expect(timeout.roomID == room)
                        guard case .clearChat(let ban) = ChatEvent(try await client.nextMessage()) else {
                            Issue.record("expected CLEARCHAT")
                            return
                        }
                        #expect(ban.isPermanentBan)
                        guard case .clearChat(let clear) = ChatEvent(try await client.nextMessage()) else {
                            Issue.record("expected CLEARCHAT")
                            return
                        }
                        #expect(clear.isWholeChat)
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.clearMessage(channel: "alpha", targetMessageID: "msg-1", login: "ronni", text: "!vote 9")
                await simulator.clearChat(channel: "alpha", userID: "87654321", login: "ronni", durationSeconds: 600)
                await simulator.clearChat(channel: "alpha", userID: "87654321", login: "ronni")
                await simulator.clearChat(channel: "alpha")
                try await group.waitForAll()
            }
        }
    }

    @Test func rawLinesAndFramesAreSentVerbatimIRCT2IRCT3() async throws {
        try await withSimulator { simulator in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withIRCClient(simulator) { client in
                        try await client.logIn()
                        try await client.join("alpha")
                        #expect(try await client.nextLine() == ":tmi.twitch.tv HOSTTARGET #alpha :- 0")
                        #expect(try await client.nextLine() == ":tmi.twitch.tv NOTICE * :first")
                        #expect(try await client.nextLine() == ":tmi.twitch.tv NOTICE * :second")
                        // A line split over two frames is reassembled by the splitter (IRC-T3).
                        #expect(try await client.nextLine() == ":tmi.twitch.tv NOTICE * :split")
                    }
                }
                try await simulator.waitForJoined(["alpha"])
                await simulator.sendRaw(":tmi.twitch.tv HOSTTARGET #alpha :- 0", to: "alpha")
                await simulator.sendRaw(toAll: ":tmi.twitch.tv NOTICE * :first\r\n:tmi.twitch.tv NOTICE * :second")
                await simulator.sendFrame(":tmi.twitch.tv NOTICE * :sp")
                await simulator.sendFrame("lit\r\n")
                try await group.waitForAll()
            }
        }
    }

    @Test func clientPrivmsgIsRecordedNotEchoedAndAnsweredWithUserStateIRCG10() async throws {
        try await withSimulator { simulator in
            try await withIRCClient(simulator) { client in
                try await client.logIn(nick: "tumultebot")
                try await client.join("alpha")
                try await client.send(IRCOutgoing.privmsg(channel: "alpha", text: "Option 2 wins", replyTo: "parent-id"))
                let replies = try await client.sync()
                #expect(replies.map { String($0.command) } == ["USERSTATE"])
                #expect(replies.first?.tag("id")?.isEmpty == false)
            }
            #expect(
                simulator.clientMessages().map { [$0.login, $0.channel, $0.text, $0.replyParentMessageID] }
                    == [["tumultebot", "alpha", "Option 2 wins", "parent-id"]]
            )
        }
    }
}
