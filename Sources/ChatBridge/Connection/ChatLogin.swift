/// How the pool logs in: anonymously (read-only) or as a bot account (IRC-L1, IRC-L3).
public struct ChatLogin: Sendable {
    /// Returns the account's user access token (without or with `oauth:`); `refresh` is true after a
    /// failed login, asking for a refreshed token rather than the cached one (IRC-L6).
    public typealias TokenProvider = @Sendable (_ refresh: Bool) async throws -> String

    /// The kinds of login.
    enum Kind: Sendable {
        /// Not known yet: no connection opens until ``ChatConnectionPool/changeLogin(_:)`` gives one.
        case undecided
        /// `NICK justinfan<digits>`, no PASS.
        case anonymous
        /// `PASS oauth:<token>` then `NICK <login>`.
        case account(login: String, tokenProvider: TokenProvider)
    }

    /// The kind of login.
    let kind: Kind

    /// Anonymous read-only login as `justinfan<random digits>`; sending is impossible (IRC-L3).
    public static let anonymous = ChatLogin(kind: .anonymous)

    /// A login still to be decided (e.g. read from a database): the pool opens no connection until
    /// ``ChatConnectionPool/changeLogin(_:)``, so its channels are not joined twice.
    public static let undecided = ChatLogin(kind: .undecided)

    /// Whether the login is still to be decided.
    var isUndecided: Bool {
        if case .undecided = kind { return true }
        return false
    }

    /// Login as a bot account (IRC-L1).
    /// - Parameters:
    ///   - login: The account's login (lower-cased when sent).
    ///   - tokenProvider: Returns the user access token (scopes `chat:read`, and `chat:edit` to send, IRC-L2).
    public static func account(_ login: String, tokenProvider: @escaping TokenProvider) -> ChatLogin {
        ChatLogin(kind: .account(login: login, tokenProvider: tokenProvider))
    }

    /// Whether this login is anonymous.
    public var isAnonymous: Bool {
        if case .anonymous = kind { return true }
        return false
    }
}
