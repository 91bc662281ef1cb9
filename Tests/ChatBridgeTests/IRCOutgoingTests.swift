import ChatBridge
import Testing

/// Outgoing lines (IRC-L1, IRC-C1, IRC-J1, IRC-P1, IRC-S1, IRC-T4).
@Suite struct IRCOutgoingTests {
    @Test("IRC-L1 PASS carries an oauth: token exactly once, NICK is lower case")
    func login() {
        #expect(IRCOutgoing.pass(token: "yfvzjqb705z12hrhy1zkwa9xt7v662") == "PASS oauth:yfvzjqb705z12hrhy1zkwa9xt7v662")
        #expect(IRCOutgoing.pass(token: "oauth:abc") == "PASS oauth:abc")
        #expect(IRCOutgoing.nick("TwitchDev") == "NICK twitchdev")
        #expect(IRCOutgoing.nick("justinfan12345") == "NICK justinfan12345")
    }

    @Test("IRC-C1 CAP REQ asks for tags and commands by default")
    func capabilities() {
        #expect(IRCOutgoing.capabilityRequest() == "CAP REQ :twitch.tv/tags twitch.tv/commands")
        #expect(IRCOutgoing.capabilityRequest(["twitch.tv/membership"]) == "CAP REQ :twitch.tv/membership")
    }

    @Test("IRC-J1 JOIN and PART list lower-case channels separated by commas")
    func joinPart() {
        #expect(IRCOutgoing.join(["Foo", "#bar", "baz"]) == "JOIN #foo,#bar,#baz")
        #expect(IRCOutgoing.part(["twitchdev"]) == "PART #twitchdev")
        #expect(IRCOutgoing.join([]) == nil)
        #expect(IRCOutgoing.join(["#", " ", "\r\n"]) == nil)
        #expect(IRCOutgoing.join(["a,b c\r\nPRIVMSG"]) == "JOIN #abcprivmsg")
    }

    @Test("IRC-P1 PONG echoes the PING text")
    func pong() throws {
        guard case .ping(let text) = try ChatEvent(parsing: "PING :tmi.twitch.tv") else {
            Issue.record("expected a PING")
            return
        }
        #expect(IRCOutgoing.pong(text) == "PONG :tmi.twitch.tv")
        #expect(IRCOutgoing.ping() == "PING :tmi.twitch.tv")
        #expect(IRCOutgoing.ping("probe 1") == "PING :probe 1")
    }

    @Test("IRC-S1 PRIVMSG strips CR/LF so text cannot inject a second command")
    func privmsgInjection() throws {
        let line = IRCOutgoing.privmsg(channel: "#Dallas", text: "hi\r\nJOIN #evil\nPART #x\r")
        #expect(line == "PRIVMSG #dallas :hiJOIN #evilPART #x")
        var splitter = IRCFrameSplitter()
        #expect(splitter.lines(in: IRCOutgoing.frame([line])).count == 1)
        let parsed = try IRCMessage(parsing: line)
        #expect(parsed.params == ["#dallas", "hiJOIN #evilPART #x"])
    }

    @Test("IRC-S1 a reply carries reply-parent-msg-id as an escaped client tag")
    func reply() throws {
        let line = IRCOutgoing.privmsg(
            channel: "ronni",
            text: "Good idea!",
            replyTo: "b34ccfc7-4977-403a-8a94-33c6bac34fb8"
        )
        // source: dev.twitch.tv/docs/chat/irc, "Tags a client may include"
        #expect(line == "@reply-parent-msg-id=b34ccfc7-4977-403a-8a94-33c6bac34fb8 PRIVMSG #ronni :Good idea!")
        let hostile = IRCOutgoing.privmsg(channel: "c", text: "t", replyTo: "a b;c\r\nQUIT")
        #expect(try IRCMessage(parsing: hostile).tag("reply-parent-msg-id") == "a b;cQUIT")
    }

    @Test("IRC-T4 frame joins lines with CRLF")
    func frame() {
        #expect(IRCOutgoing.frame(["CAP REQ :twitch.tv/tags", "NICK justinfan1"]) == "CAP REQ :twitch.tv/tags\r\nNICK justinfan1\r\n")
        #expect(IRCOutgoing.frame([]) == "")
    }
}
