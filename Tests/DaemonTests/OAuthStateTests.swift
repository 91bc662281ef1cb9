import Foundation
import Redis
import TestSupport
import Testing

@testable import Daemon

/// The OAuth `state`: signed, expiring and single-use, with either session driver.
@Suite struct OAuthStateTests {
    static let key = (0..<32).map { UInt8($0) }

    @Test("cookie driver: the state needs its own cookie, in the same browser, within 10 minutes")
    func cookieDriver() async throws {
        let states = OAuthState(applicationKey: Self.key, driver: .cookie, redis: nil, secureCookie: true)
        let now = Date()
        let started = try await states.start(now: now)
        let cookie = try #require(started.cookie)
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure") && cookie.contains("Max-Age=600"))
        let header = "other=1; " + String(cookie.split(separator: ";")[0])
        #expect(try await states.finish(started.state, cookieHeader: header, now: now) == .broadcaster)
        // No cookie, or another browser's cookie: refused.
        #expect(try await states.finish(started.state, cookieHeader: nil, now: now) == nil)
        let other = try await states.start(now: now)
        #expect(try await states.finish(started.state, cookieHeader: String(try #require(other.cookie).split(separator: ";")[0]), now: now) == nil)
        // Expired, tampered, or signed with another key: refused.
        #expect(try await states.finish(started.state, cookieHeader: header, now: now + 601) == nil)
        var tampered = Array(started.state)
        tampered[3] = tampered[3] == "A" ? "B" : "A"
        #expect(try await states.finish(String(tampered), cookieHeader: header, now: now) == nil)
        let foreign = OAuthState(applicationKey: Array(repeating: 9, count: 32), driver: .cookie, redis: nil, secureCookie: false)
        #expect(try await foreign.finish(started.state, cookieHeader: header, now: now) == nil)
        #expect(try await states.finish("", cookieHeader: header, now: now) == nil)
        // The role is signed too: a broadcaster state cannot be turned into a bot one.
        #expect(
            try await states.finish(started.state.replacingOccurrences(of: ".broadcaster.", with: ".bot."), cookieHeader: header, now: now) == nil
        )
        #expect(states.clearingCookie?.contains("Max-Age=0") == true)
        #expect(cookie.contains("; Path=/auth/twitch;") && states.clearingCookie?.contains("; Path=/auth/twitch;") == true)
    }

    @Test("cookie driver behind a path prefix: the cookie's Path is the one the browser sees")
    func cookiePathPrefix() async throws {
        let states = OAuthState(applicationKey: Self.key, driver: .cookie, redis: nil, secureCookie: true, pathPrefix: "/tumulte")
        let started = try await states.start()
        #expect(started.cookie?.contains("; Path=/tumulte/auth/twitch;") == true)
        #expect(states.clearingCookie?.contains("; Path=/tumulte/auth/twitch;") == true)
    }

    @Test("redis driver: a state works once, on any instance sharing the Redis")
    func redisDriver() async throws {
        try await TestServices.withRedisClient { redis in
            let first = OAuthState(applicationKey: Self.key, driver: .redis, redis: redis, secureCookie: false)
            let second = OAuthState(applicationKey: Self.key, driver: .redis, redis: redis, secureCookie: false)
            let started = try await first.start(role: .bot)
            #expect(started.cookie == nil)
            #expect(try await second.finish(started.state, cookieHeader: nil) == .bot)
            #expect(try await first.finish(started.state, cookieHeader: nil) == nil)
            #expect(first.clearingCookie == nil)
        }
    }
}
