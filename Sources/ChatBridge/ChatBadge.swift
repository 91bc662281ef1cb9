/// One chat badge, `set/version` in the `badges` tag (IRC-G6); both parts are opaque strings.
public struct ChatBadge: Sendable, Hashable, CustomStringConvertible {
    /// The badge set, e.g. `subscriber`, `overwatch-league-insider_2019A`, `twitchcon-2024---san-diego`.
    public let set: String
    /// The version within the set, e.g. `12` or `horde`; empty when the tag had no `/`.
    public let version: String

    /// Creates a badge.
    /// - Parameters:
    ///   - set: The badge set id.
    ///   - version: The version id.
    public init(set: String, version: String) {
        self.set = set
        self.version = version
    }

    /// `set/version`, as on the wire.
    public var description: String { "\(set)/\(version)" }

    /// Parses a `badges` (or `badge-info`) value: comma-separated `set/version`, empty pieces skipped.
    /// - Parameter raw: The tag value, e.g. `moderator/1,subscriber/12`.
    public static func parseList(_ raw: some StringProtocol) -> [ChatBadge] {
        var badges: [ChatBadge] = []
        for piece in raw.split(separator: ",", omittingEmptySubsequences: true) {
            if let slash = piece.firstIndex(of: "/") {
                badges.append(
                    ChatBadge(set: String(piece[..<slash]), version: String(piece[piece.index(after: slash)...]))
                )
            } else {
                badges.append(ChatBadge(set: String(piece), version: ""))
            }
        }
        return badges
    }
}
