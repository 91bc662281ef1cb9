/// A Lua script run with `EVALSHA`, named by the SHA-1 of its source.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// Lower-case hex SHA-1 of the source, as Redis computes it for `SCRIPT LOAD`.
    public let sha1: String

    /// Creates a script and computes its SHA-1 locally.
    /// - Parameter source: The Lua source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(of: Array(source.utf8))
    }
}
