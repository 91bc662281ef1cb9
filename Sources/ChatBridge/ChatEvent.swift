/// A Twitch chat line turned into a typed event.
///
/// Lines that cannot be typed (unknown commands, or a known command missing its channel) become
/// `.unknown` with the parsed line, so nothing is lost and nothing traps.
public enum ChatEvent: Sendable, Hashable {
    /// `PRIVMSG`: a chat message.
    case privmsg(ChatMessage)
    /// `CLEARCHAT`: ban, timeout or chat clear.
    case clearChat(ClearChat)
    /// `CLEARMSG`: one message deleted.
    case clearMessage(ClearMessage)
    /// `ROOMSTATE`: channel settings (full or partial).
    case roomState(RoomState)
    /// `NOTICE`: outcome of an action or a login failure.
    case notice(ChatNotice)
    /// `USERNOTICE`: sub, gift, raid, announcement, ...
    case userNotice(UserNotice)
    /// `USERSTATE`: the bot's state in a channel.
    case userState(UserState)
    /// `GLOBALUSERSTATE`: the logged-in account.
    case globalUserState(GlobalUserState)
    /// `JOIN` of `login` to `channel` (the bot's own JOIN confirms a join, IRC-J1).
    case join(channel: String, login: String)
    /// `PART` of `login` from `channel` (also sent when the bot is banned, IRC-J7).
    case part(channel: String, login: String)
    /// `PING`: answer with `IRCOutgoing.pong(text)` (IRC-P1).
    case ping(text: String)
    /// `PONG`: the answer to our own `PING`, carrying its text (IRC-P2).
    case pong(text: String)
    /// `RECONNECT`: the server will close this connection; reconnect and rejoin (IRC-R1).
    case reconnect
    /// `001`: login succeeded as `login` (IRC-L4).
    case welcome(login: String)
    /// Another numeric reply (`002`–`004`, `353`, `366`, `372`, `375`, `376`, ...).
    case numeric(code: Int, params: [String])
    /// `CAP * ACK`: the capabilities granted (IRC-C2).
    case capAck([String])
    /// `CAP * NAK`: the capabilities refused (IRC-C2).
    case capNak([String])
    /// Anything else, kept as parsed.
    case unknown(IRCMessage)

    /// Parses one line and types it.
    /// - Parameter line: One IRC line (a trailing CR/LF is ignored).
    /// - Throws: `IRCParseError` when the line is not IRC at all.
    public init(parsing line: Substring) throws(IRCParseError) {
        self.init(try IRCMessage(parsing: line))
    }

    /// Parses one line and types it.
    /// - Parameter line: One IRC line (a trailing CR/LF is ignored).
    /// - Throws: `IRCParseError` when the line is not IRC at all.
    public init(parsing line: String) throws(IRCParseError) {
        self.init(try IRCMessage(parsing: line[...]))
    }

    /// Types an already parsed line.
    /// - Parameter message: The parsed line.
    public init(_ message: IRCMessage) {
        self = message.withBytes { bytes in
            ChatEvent.make(RawLine(bytes: bytes, layout: message.layout), message: message)
        }
    }

    /// Dispatches on the command bytes and builds the matching event.
    private static func make(_ line: RawLine, message: IRCMessage) -> ChatEvent {
        let bytes = line.bytes
        let start = line.layout.commandStart
        let end = line.layout.commandEnd
        let fallback = ChatEvent.unknown(message)
        switch end - start {
        case 3:
            if let code = bytes.decimal(from: start, to: end) {
                if code == 1 { return .welcome(login: line.channel() ?? "") }
                return .numeric(code: Int(code), params: message.params.map(String.init))
            }
            if bytes.equalsIgnoringCase("CAP", from: start, to: end) {
                return capabilityEvent(message) ?? fallback
            }
        case 7:
            if bytes.equalsIgnoringCase("PRIVMSG", from: start, to: end) {
                return ChatMessage(line, raw: message).map(ChatEvent.privmsg) ?? fallback
            }
        case 9:
            if bytes.equalsIgnoringCase("CLEARCHAT", from: start, to: end) {
                return ClearChat(line).map(ChatEvent.clearChat) ?? fallback
            }
            if bytes.equalsIgnoringCase("ROOMSTATE", from: start, to: end) {
                return RoomState(line).map(ChatEvent.roomState) ?? fallback
            }
            if bytes.equalsIgnoringCase("USERSTATE", from: start, to: end) {
                return UserState(line).map(ChatEvent.userState) ?? fallback
            }
            if bytes.equalsIgnoringCase("RECONNECT", from: start, to: end) {
                return .reconnect
            }
        case 8:
            if bytes.equalsIgnoringCase("CLEARMSG", from: start, to: end) {
                return ClearMessage(line).map(ChatEvent.clearMessage) ?? fallback
            }
        case 6:
            if bytes.equalsIgnoringCase("NOTICE", from: start, to: end) {
                return ChatNotice(line).map(ChatEvent.notice) ?? fallback
            }
        case 10:
            if bytes.equalsIgnoringCase("USERNOTICE", from: start, to: end) {
                return UserNotice(line, raw: message).map(ChatEvent.userNotice) ?? fallback
            }
        case 15:
            if bytes.equalsIgnoringCase("GLOBALUSERSTATE", from: start, to: end) {
                return .globalUserState(GlobalUserState(line))
            }
        case 4:
            if bytes.equalsIgnoringCase("JOIN", from: start, to: end) {
                guard let channel = line.channel() else { return fallback }
                return .join(channel: channel, login: line.prefixNick())
            }
            if bytes.equalsIgnoringCase("PART", from: start, to: end) {
                guard let channel = line.channel() else { return fallback }
                return .part(channel: channel, login: line.prefixNick())
            }
            if bytes.equalsIgnoringCase("PING", from: start, to: end) {
                return .ping(text: line.lastParam() ?? "")
            }
            if bytes.equalsIgnoringCase("PONG", from: start, to: end) {
                return .pong(text: line.lastParam() ?? "")
            }
        default:
            break
        }
        return fallback
    }

    /// `CAP <target> ACK|NAK :<capabilities>` as an event, nil for other CAP subcommands.
    private static func capabilityEvent(_ message: IRCMessage) -> ChatEvent? {
        let params = message.params
        guard params.count >= 3 else { return nil }
        let capabilities = params[params.count - 1].split(separator: " ").map(String.init)
        switch params[1].uppercased() {
        case "ACK": return .capAck(capabilities)
        case "NAK": return .capNak(capabilities)
        default: return nil
        }
    }
}
