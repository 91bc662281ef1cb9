/// The source of an IRC message: a server name or a user mask (IRC-G1).
///
/// Twitch sends three shapes: `tmi.twitch.tv` (server), `nick!nick@nick.tmi.twitch.tv` (user) and
/// `nick.tmi.twitch.tv` (353/366 numerics, parsed as a server name because it has no `!`/`@`).
/// A bare word without dots (`:jtv`, `:coolguy`) is a nick.
public enum IRCPrefix: Sendable, Hashable {
    /// A server name such as `tmi.twitch.tv`.
    case server(String)
    /// A user mask `nick[!user][@host]`.
    case user(nick: String, user: String?, host: String?)

    /// Parses the text between `:` and the first space of a line.
    /// - Parameter raw: The prefix without its leading `:`.
    public init(parsing raw: Substring) {
        let bang = raw.firstIndex(of: "!")
        let at = raw.firstIndex(of: "@")
        if bang == nil && at == nil {
            if raw.contains(".") {
                self = .server(String(raw))
            } else {
                self = .user(nick: String(raw), user: nil, host: nil)
            }
            return
        }
        let nickEnd = bang ?? at ?? raw.endIndex
        let nick = String(raw[raw.startIndex..<nickEnd])
        var user: String?
        if let bang {
            let userEnd = at.map { $0 > bang ? $0 : raw.endIndex } ?? raw.endIndex
            user = String(raw[raw.index(after: bang)..<userEnd])
        }
        var host: String?
        if let at, bang.map({ at > $0 }) ?? true {
            host = String(raw[raw.index(after: at)...])
        }
        self = .user(nick: nick, user: user, host: host)
    }

    /// The nick of a user prefix, nil for a server.
    public var nick: String? {
        if case .user(let nick, _, _) = self { return nick }
        return nil
    }

    /// The host of a user prefix or the server name.
    public var host: String? {
        switch self {
        case .server(let name): name
        case .user(_, _, let host): host
        }
    }
}
