import Testing

@testable import Redis

/// SHA-1 script naming and backoff arithmetic.
@Suite(.timeLimit(.minutes(1))) struct RedisScriptTests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
        ("return redis.call('INCR', KEYS[1])", "61636018f4e6b5817b89791bbed242f93fa089e3"),
    ])
    func sha1MatchesKnownDigests(source: String, digest: String) {
        #expect(RedisScript(source).sha1 == digest)
    }

    @Test func sha1HandlesEveryPaddingLength() {
        // Lengths around the 55/56/64-byte padding boundaries; digests from `sha1sum`.
        #expect(RedisScript(String(repeating: "a", count: 55)).sha1 == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(RedisScript(String(repeating: "a", count: 56)).sha1 == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(RedisScript(String(repeating: "a", count: 64)).sha1 == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
        #expect(RedisScript(String(repeating: "a", count: 1000)).sha1 == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test func backoffGrowsAndIsCapped() {
        let backoff = RedisConfiguration.Backoff(initial: .milliseconds(100), maximum: .seconds(3), jitter: .none)
        #expect(backoff.delay(forAttempt: 0) == .milliseconds(100))
        #expect(backoff.delay(forAttempt: 1) == .milliseconds(200))
        #expect(backoff.delay(forAttempt: 4) == .milliseconds(1600))
        #expect(backoff.delay(forAttempt: 5) == .seconds(3))
        #expect(backoff.delay(forAttempt: 10_000) == .seconds(3))
    }

    @Test func jitterStaysWithinItsRange() {
        var equal = RedisConfiguration.Backoff()
        var full = RedisConfiguration.Backoff(jitter: .full)
        equal.maximum = .seconds(3)
        full.maximum = .seconds(3)
        for attempt in 0..<40 {
            let cap = min(Duration.milliseconds(100) * (1 << min(attempt, 20)), .seconds(3))
            let equalDelay = equal.delay(forAttempt: attempt)
            #expect(equalDelay >= cap / 2 && equalDelay <= cap)
            let fullDelay = full.delay(forAttempt: attempt)
            #expect(fullDelay >= .zero && fullDelay <= cap)
        }
    }

    @Test func configurationDescriptionRedactsThePassword() {
        let configuration = RedisConfiguration(password: "hunter2")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("<redacted>"))
    }
}
