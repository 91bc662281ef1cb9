import ChatBridge
import Testing

/// Capped, jittered exponential backoff (IRC-R3, IRC-L6, IRC-J2).
struct BackoffPolicyTests {
    @Test func nominalDelaysDoubleUpToTheCapIRCR3() {
        let policy = BackoffPolicy.reconnect
        let nominal = (1...8).map { policy.nominalDelay(attempt: $0) }
        #expect(nominal == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30), .seconds(30)])
        #expect(policy.nominalDelay(attempt: 0) == .seconds(1))
        #expect(policy.nominalDelay(attempt: 10_000) == .seconds(30))
    }

    @Test func jitterStaysBetweenHalfAndFullDelayIRCR3() {
        let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .seconds(5))
        #expect(close(policy.delay(attempt: 3, jitter: 0), .milliseconds(200)))
        #expect(close(policy.delay(attempt: 3, jitter: 1), .milliseconds(400)))
        #expect(close(policy.delay(attempt: 3, jitter: 7), .milliseconds(400)))
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...12 {
            let delay = policy.delay(attempt: attempt, using: &generator)
            let nominal = policy.nominalDelay(attempt: attempt)
            #expect(delay >= nominal / 2 - .microseconds(1) && delay <= nominal + .microseconds(1))
        }
    }

    @Test func jitteredDelaysNeverShrinkBelowTheCapIRCL6() {
        let policy = BackoffPolicy(initial: .seconds(1), maximum: .seconds(64))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var previous = Duration.zero
            for attempt in 1...7 {
                let delay = policy.delay(attempt: attempt, using: &generator)
                #expect(delay >= previous)
                previous = delay
            }
        }
    }

    /// Whether two durations differ by less than a microsecond (delays are computed in floating point).
    private func close(_ lhs: Duration, _ rhs: Duration) -> Bool {
        abs((lhs - rhs) / .nanoseconds(1)) < 1_000
    }
}
