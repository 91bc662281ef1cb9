/// How the pool logs in: anonymously (read-only) or as a bot account (IRC-L1, IRC-L3).
public struct ChatLogin: Sendable {
    /// Returns the account's user access token (without or with `oauth:`); `refresh` is true after a
    /// failed login, asking for a refreshed token rather than the cached one (IRC-L6).
    public typealias TokenProvider = @Sendable (_ refresh: Bool) async throws -> String

    /// The two kinds of login.
    enum Kind: Sendable {
        /// `NICK justinfan<digits>`, no PASS.
        case anonymous
        /// `PASS oauth:<token>` then `NICK <login>`.
        case account(login: String, tokenProvider: TokenProvider)
    }

    /// The kind of login.
    let kind: Kind

    /// Anonymous read-only login as `justinfan<random digits>`; sending is impossible (IRC-L3).
    public static let anonymous = ChatLogin(kind: .anonymous)

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
