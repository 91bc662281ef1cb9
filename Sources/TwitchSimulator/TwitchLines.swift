/// Builds a tag section `k=v;k=v`, escaping each value (IRC-G3).
///
/// The simulator escapes independently of ChatBridge, so the round-trip tests exercise two
/// implementations rather than one.
struct TagWriter {
    /// The section built so far.
    private(set) var text = ""

    /// Appends `key=value`, escaping `;`, space, `\`, CR and LF (IRC-G3).
    mutating func add(_ key: String, _ value: String) {
        if !text.isEmpty { text += ";" }
        text += key
        text += "="
        text += TagWriter.escape(value)
    }

    /// Appends `key=1` or `key=0`.
    mutating func add(_ key: String, _ flag: Bool) {
        add(key, flag ? "1" : "0")
    }

    /// A tag value escaped for the wire (IRC-G3); NUL is dropped.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || $0 == 0x5C || $0 == 0x0D || $0 == 0x0A || $0 == 0 })
        else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case ";": result += "\\:"
            case " ": result += "\\s"
            case "\\": result += "\\\\"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\0": break
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// The lines Twitch's IRC server sends, byte for byte as documented (IRC-L4, IRC-J1, IRC-P2, IRC-R1, ...).
enum TwitchLines {
    /// The server name used as prefix and PONG origin.
    static let server = "tmi.twitch.tv"

    /// A channel login as Twitch uses it: lower case, without `#`, CR, LF, spaces or commas.
    static func channelName(_ raw: some StringProtocol) -> String {
        String(
            raw.lowercased().unicodeScalars
                .filter { $0 != "#" && $0 != " " && $0 != "," && $0 != "\r" && $0 != "\n" && $0 != "\0" }
                .map(Character.init)
        )
    }

    /// `nick!nick@nick.tmi.twitch.tv`, the prefix of a user's own commands.
    static func userPrefix(_ login: String) -> String {
        "\(login)!\(login)@\(login).tmi.twitch.tv"
    }

    /// A stable numeric id (9–10 digits) for a login, via 64-bit FNV-1a; used for `room-id` and `user-id`.
    static func stableID(_ login: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in login.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(100_000_000 + hash % 900_000_000)
    }

    /// `:tmi.twitch.tv CAP * ACK :<caps>` (IRC-C2).
    static func capAck(_ capabilities: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) CAP * ACK :\(capabilities)")
    }

    /// `:tmi.twitch.tv CAP * NAK :<caps>` (IRC-C2).
    static func capNak(_ capabilities: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) CAP * NAK :\(capabilities)")
    }

    /// `:tmi.twitch.tv CAP * LS :<caps>`.
    static func capList(_ capabilities: [String]) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) CAP * LS :\(capabilities.joined(separator: " "))")
    }

    /// The successful login burst: 001 002 003 004 375 372 376 (IRC-L4).
    static func welcome(_ nick: String) -> [OutgoingLine] {
        [
            ("001", "Welcome, GLHF!"),
            ("002", "Your host is tmi.twitch.tv"),
            ("003", "This server is rather new"),
            ("004", "-"),
            ("375", "-"),
            ("372", "You are in a maze of twisty passages, all alike."),
            ("376", ">"),
        ].map { code, text in OutgoingLine(tags: nil, body: ":\(server) \(code) \(nick) :\(text)") }
    }

    /// `GLOBALUSERSTATE` for a logged-in account (IRC-L4).
    static func globalUserState(_ nick: String) -> OutgoingLine {
        var tags = TagWriter()
        tags.add("badge-info", "")
        tags.add("badges", "")
        tags.add("color", "")
        tags.add("display-name", nick)
        tags.add("emote-sets", "0")
        tags.add("user-id", stableID(nick))
        tags.add("user-type", "")
        return OutgoingLine(tags: tags.text, body: ":\(server) GLOBALUSERSTATE", requiresCommands: true)
    }

    /// `:tmi.twitch.tv NOTICE * :<text>` without tags, as sent for login failures (IRC-L5).
    static func loginNotice(_ text: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) NOTICE * :\(text)")
    }

    /// `@msg-id=<id> :tmi.twitch.tv NOTICE #<channel> :<text>` (IRC-G13).
    static func notice(channel: String, messageID: String, text: String) -> OutgoingLine {
        OutgoingLine(tags: "msg-id=\(TagWriter.escape(messageID))", body: ":\(server) NOTICE #\(channel) :\(text)")
    }

    /// The replies to a successful JOIN of one channel: self-JOIN, 353, 366, USERSTATE, full ROOMSTATE (IRC-J1, IRC-G11).
    static func joinReplies(nick: String, channel: String, roomID: String) -> [OutgoingLine] {
        var userState = TagWriter()
        userState.add("badge-info", "")
        userState.add("badges", nick == channel ? "broadcaster/1" : "")
        userState.add("color", "")
        userState.add("display-name", nick)
        userState.add("emote-sets", "0")
        userState.add("mod", false)
        userState.add("subscriber", false)
        userState.add("user-type", "")
        var roomState = TagWriter()
        roomState.add("emote-only", false)
        roomState.add("followers-only", "-1")
        roomState.add("r9k", false)
        roomState.add("room-id", roomID)
        roomState.add("slow", "0")
        roomState.add("subs-only", false)
        return [
            OutgoingLine(tags: nil, body: ":\(userPrefix(nick)) JOIN #\(channel)"),
            OutgoingLine(tags: nil, body: ":\(nick).tmi.twitch.tv 353 \(nick) = #\(channel) :\(nick)"),
            OutgoingLine(tags: nil, body: ":\(nick).tmi.twitch.tv 366 \(nick) #\(channel) :End of /NAMES list"),
            OutgoingLine(tags: userState.text, body: ":\(server) USERSTATE #\(channel)", requiresCommands: true),
            OutgoingLine(tags: roomState.text, body: ":\(server) ROOMSTATE #\(channel)", requiresCommands: true),
        ]
    }

    /// `:nick!nick@nick.tmi.twitch.tv PART #channel`.
    static func part(nick: String, channel: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(userPrefix(nick)) PART #\(channel)")
    }

    /// `:tmi.twitch.tv PONG tmi.twitch.tv :<text>`, the answer to a client PING (IRC-P2).
    static func pong(_ text: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) PONG \(server) :\(text)")
    }

    /// `PING :tmi.twitch.tv`, the server's keepalive (IRC-P1).
    static let ping = OutgoingLine(tags: nil, body: "PING :\(server)")

    /// `:tmi.twitch.tv RECONNECT` (IRC-R1).
    static let reconnect = OutgoingLine(tags: nil, body: ":\(server) RECONNECT", requiresCommands: true)

    /// `:tmi.twitch.tv 421 <nick> <command> :Unknown command`.
    static func unknownCommand(nick: String, command: String) -> OutgoingLine {
        OutgoingLine(tags: nil, body: ":\(server) 421 \(nick) \(command) :Unknown command")
    }

    /// `USERSTATE` answering a client's own PRIVMSG, carrying the new message's `id` (IRC-G10).
    static func userStateAfterSend(nick: String, channel: String, messageID: String) -> OutgoingLine {
        var tags = TagWriter()
        tags.add("badge-info", "")
        tags.add("badges", nick == channel ? "broadcaster/1" : "")
        tags.add("color", "")
        tags.add("display-name", nick)
        tags.add("emote-sets", "0")
        tags.add("id", messageID)
        tags.add("mod", false)
        tags.add("subscriber", false)
        tags.add("user-type", "")
        return OutgoingLine(tags: tags.text, body: ":\(server) USERSTATE #\(channel)", requiresCommands: true)
    }

    /// `CLEARMSG`: one message deleted (IRC-G12); `room-id` is empty as Twitch often sends it.
    static func clearMessage(channel: String, targetMessageID: String, login: String, text: String, sentAt: Int64) -> OutgoingLine {
        var tags = TagWriter()
        tags.add("login", login)
        tags.add("room-id", "")
        tags.add("target-msg-id", targetMessageID)
        tags.add("tmi-sent-ts", String(sentAt))
        return OutgoingLine(tags: tags.text, body: ":\(server) CLEARMSG #\(channel) :\(text)", requiresCommands: true)
    }

    /// `CLEARCHAT`: a timeout (`ban-duration`), a permanent ban, or the whole chat when `target` is nil (IRC-G12).
    static func clearChat(
        channel: String,
        roomID: String,
        target: (userID: String, login: String)?,
        durationSeconds: Int?,
        sentAt: Int64
    ) -> OutgoingLine {
        var tags = TagWriter()
        if target != nil, let durationSeconds { tags.add("ban-duration", String(durationSeconds)) }
        tags.add("room-id", roomID)
        if let target { tags.add("target-user-id", target.userID) }
        tags.add("tmi-sent-ts", String(sentAt))
        let body = target.map { ":\(server) CLEARCHAT #\(channel) :\($0.login)" } ?? ":\(server) CLEARCHAT #\(channel)"
        return OutgoingLine(tags: tags.text, body: body, requiresCommands: true)
    }
}
