/// Builders for the lines the client sends (IRC-L1, IRC-C1, IRC-J1, IRC-P1, IRC-S1).
///
/// Each function returns one line without CR/LF; send one per WebSocket frame, or join several with
/// `frame(_:)` (IRC-T4). Every user-supplied piece has CR, LF and NUL removed so it cannot inject a
/// second command.
public enum IRCOutgoing {
    /// The capabilities a vote counter needs (IRC-C1; no `twitch.tv/membership`, IRC-C4).
    public static let defaultCapabilities = ["twitch.tv/tags", "twitch.tv/commands"]

    /// `PASS oauth:<token>`; an `oauth:` prefix already present is not doubled (IRC-L1).
    /// - Parameter token: The user access token.
    public static func pass(token: String) -> String {
        let clean = sanitized(token).filter { $0 != " " }
        return clean.hasPrefix("oauth:") ? "PASS \(clean)" : "PASS oauth:\(clean)"
    }

    /// `NICK <login>`, lower-cased (IRC-L1); use `justinfan<digits>` for anonymous reading (IRC-L3).
    /// - Parameter login: The account's login.
    public static func nick(_ login: String) -> String {
        "NICK \(sanitized(login).filter { $0 != " " }.lowercased())"
    }

    /// `CAP REQ :<capabilities>` (IRC-C1).
    /// - Parameter capabilities: Capability names, by default tags and commands.
    public static func capabilityRequest(_ capabilities: [String] = defaultCapabilities) -> String {
        "CAP REQ :" + capabilities.map { sanitized($0) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `JOIN #a,#b` for the given channel logins (IRC-J1); nil when no valid name remains.
    /// - Parameter channels: Channel logins, with or without `#`.
    public static func join(_ channels: [String]) -> String? {
        channelList(channels).map { "JOIN \($0)" }
    }

    /// `PART #a,#b` for the given channel logins; nil when no valid name remains.
    /// - Parameter channels: Channel logins, with or without `#`.
    public static func part(_ channels: [String]) -> String? {
        channelList(channels).map { "PART \($0)" }
    }

    /// `PONG :<text>`, echoing the text of the server's `PING` (IRC-P1).
    /// - Parameter text: The PING's text, usually `tmi.twitch.tv`.
    public static func pong(_ text: String) -> String {
        "PONG :\(sanitized(text))"
    }

    /// `PING :<text>`, our own keepalive probe (IRC-P2).
    /// - Parameter text: Text the server echoes back in its PONG.
    public static func ping(_ text: String = "tmi.twitch.tv") -> String {
        "PING :\(sanitized(text))"
    }

    /// `PRIVMSG #<channel> :<text>`, optionally as a reply (`@reply-parent-msg-id=…`, IRC-S1).
    /// - Parameters:
    ///   - channel: Channel login, with or without `#`.
    ///   - text: The message; CR/LF/NUL removed.
    ///   - replyTo: Id of the message to reply to, if any.
    public static func privmsg(channel: String, text: String, replyTo: String? = nil) -> String {
        let target = "#" + channelName(channel)
        let body = "PRIVMSG \(target) :\(sanitized(text))"
        guard let replyTo, !replyTo.isEmpty else { return body }
        return "@reply-parent-msg-id=\(IRCTags.escape(sanitized(replyTo))) \(body)"
    }

    /// Several lines as one frame payload, each terminated by CRLF (IRC-T2, IRC-T4).
    /// - Parameter lines: Lines built by this type.
    public static func frame(_ lines: [String]) -> String {
        lines.map { $0 + "\r\n" }.joined()
    }

    /// `s` without CR, LF and NUL.
    static func sanitized(_ string: String) -> String {
        guard string.utf8.contains(where: { $0 == ASCII.cr || $0 == ASCII.lf || $0 == 0 }) else { return string }
        return String(string.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }.map(Character.init))
    }

    /// A channel login reduced to what may follow `#`: lower case, no `#`, space, comma or line break.
    static func channelName(_ channel: String) -> String {
        String(
            sanitized(channel).lowercased().unicodeScalars
                .filter { $0 != "#" && $0 != " " && $0 != "," }
                .map(Character.init)
        )
    }

    /// `#a,#b` from channel logins, nil when empty.
    private static func channelList(_ channels: [String]) -> String? {
        let names = channels.map(channelName).filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        return names.map { "#" + $0 }.joined(separator: ",")
    }
}
