import Core
import Crypto
import Foundation
import Redis

/// The `state` of the OAuth redirect: signed with a key derived from the application key, valid for 10 minutes,
/// and single-use. Where the proof of single use lives follows `SESSION_DRIVER`:
///
/// - `cookie`: a cookie set on the redirect holds the state's nonce; the callback needs the same nonce in the
///   cookie (so a state cannot be replayed from another browser), and clears the cookie.
/// - `redis`: the nonce is stored in Redis for 10 minutes and deleted by the callback with `GETDEL`, so a state
///   works once across every instance.
struct OAuthState: Sendable {
    /// How long a state is valid.
    static let lifetime: TimeInterval = 600
    /// The cookie of the `cookie` driver.
    static let cookieName = "tumulte_oauth"

    /// What the redirect carries.
    struct Started: Sendable {
        /// The `state` parameter.
        var state: String
        /// A `Set-Cookie` value, for the `cookie` driver.
        var cookie: String?
    }

    private let key: [UInt8]
    private let driver: AppConfiguration.SessionDriver
    private let redis: RedisClient?
    private let secureCookie: Bool
    private let cookiePath: String

    /// Creates the state keeper.
    /// - Parameters:
    ///   - applicationKey: The application key's bytes; the signing key is derived from it.
    ///   - driver: Where the single-use proof lives.
    ///   - redis: The Redis client, for the `redis` driver.
    ///   - secureCookie: Whether the cookie gets `Secure` (the daemon is served over HTTPS).
    ///   - pathPrefix: The path of the public base URL (`/tumulte` behind a proxy that adds one), so the cookie's
    ///     `Path` is the one the browser sees.
    init(
        applicationKey: [UInt8],
        driver: AppConfiguration.SessionDriver,
        redis: RedisClient?,
        secureCookie: Bool,
        pathPrefix: String = ""
    ) {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: applicationKey),
            info: Array("tumulte oauth state v1".utf8),
            outputByteCount: 32
        )
        self.key = derived.withUnsafeBytes { Array($0) }
        self.driver = driver
        self.redis = redis
        self.secureCookie = secureCookie
        self.cookiePath = pathPrefix + "/auth/twitch"
    }

    /// Whose account a connection is for.
    enum Role: String, Sendable {
        /// A streamer's channel (native polls).
        case broadcaster
        /// The account that reads chat and posts announcements.
        case bot
    }

    /// A new state for connecting a `role` account, and what must be stored for it.
    func start(role: Role = .broadcaster, now: Date = Date()) async throws -> Started {
        let nonce = Self.base64URL(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
        let payload = "\(nonce).\(Int(now.timeIntervalSince1970 + Self.lifetime)).\(role.rawValue)"
        let state = payload + "." + self.signature(payload)
        switch self.driver {
        case .cookie:
            var cookie = "\(Self.cookieName)=\(nonce); Path=\(self.cookiePath); Max-Age=\(Int(Self.lifetime)); HttpOnly; SameSite=Lax"
            if self.secureCookie { cookie += "; Secure" }
            return Started(state: state, cookie: cookie)
        case .redis:
            guard let redis = self.redis else { preconditionFailure("the redis session driver needs a Redis client") }
            _ = try await redis.execute(RedisCommand("SET", Self.redisKey(nonce), "1", "EX", "\(Int(Self.lifetime))"))
            return Started(state: state, cookie: nil)
        }
    }

    /// The role of `state` if it is one this daemon signed, unexpired and not used before (it is used up by this
    /// call); nil otherwise.
    /// - Parameter cookieHeader: The request's `Cookie` header, for the `cookie` driver.
    func finish(_ state: String, cookieHeader: String?, now: Date = Date()) async throws -> Role? {
        let parts = state.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, let expiry = Int(parts[1]) else { return nil }
        let payload = "\(parts[0]).\(parts[1]).\(parts[2])"
        guard ConstantTime.equals(self.signature(payload), String(parts[3])), Double(expiry) >= now.timeIntervalSince1970,
            let role = Role(rawValue: String(parts[2]))
        else {
            return nil
        }
        let nonce = String(parts[0])
        switch self.driver {
        case .cookie:
            guard let cookie = Self.cookie(Self.cookieName, in: cookieHeader), ConstantTime.equals(cookie, nonce) else { return nil }
            return role
        case .redis:
            guard let redis = self.redis else { return nil }
            let value = try await redis.execute(RedisCommand("GETDEL", Self.redisKey(nonce)))
            return value.string == "1" ? role : nil
        }
    }

    /// The `Set-Cookie` value that clears the cookie (nil for the `redis` driver).
    var clearingCookie: String? {
        self.driver == .cookie ? "\(Self.cookieName)=; Path=\(self.cookiePath); Max-Age=0; HttpOnly; SameSite=Lax" : nil
    }

    private func signature(_ payload: String) -> String {
        Self.base64URL(Array(HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: self.key))))
    }

    private static func redisKey(_ nonce: String) -> String { "tumulte:oauth:state:\(nonce)" }

    /// The value of cookie `name` in a `Cookie` header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Base64url without padding.
    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
