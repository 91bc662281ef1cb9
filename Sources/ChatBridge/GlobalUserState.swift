/// `GLOBALUSERSTATE`: the logged-in account, sent once after a successful login (IRC-L4).
public struct GlobalUserState: Sendable, Hashable {
    /// `user-id` of the logged-in account, empty when absent.
    public let userID: String
    /// `display-name`, unescaped.
    public let displayName: String
    /// The `badges` tag as sent.
    public let rawBadges: String

    /// The account's global badges.
    public var badges: [ChatBadge] { ChatBadge.parseList(rawBadges) }

    /// Creates the state.
    /// - Parameters:
    ///   - userID: Account id.
    ///   - displayName: Account display name.
    ///   - rawBadges: The `badges` tag.
    public init(userID: String, displayName: String, rawBadges: String) {
        self.userID = userID
        self.displayName = displayName
        self.rawBadges = rawBadges
    }

    /// Builds the state from a `GLOBALUSERSTATE` line.
    init(_ line: RawLine) {
        let tags = line.tagValues("user-id", "display-name", "badges")
        self.init(
            userID: line.string(tags[0]) ?? "",
            displayName: line.string(tags[1]) ?? "",
            rawBadges: line.string(tags[2]) ?? ""
        )
    }
}
