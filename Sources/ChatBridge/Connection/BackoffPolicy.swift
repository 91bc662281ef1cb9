/// Capped exponential backoff with jitter (IRC-R3, IRC-L6, IRC-J2).
///
/// Retry `n` (from 1) waits `min(maximum, initial × multiplier^(n−1))` scaled by a jitter factor in
/// `0.5...1` ("equal jitter"): spread out, never shorter than half the nominal delay, and never shorter
/// than the previous retry's delay while below the cap.
public struct BackoffPolicy: Sendable, Hashable {
    /// Nominal delay of the first retry.
    public var initial: Duration
    /// Upper bound of the nominal delay.
    public var maximum: Duration
    /// Growth factor per retry (at least 1).
    public var multiplier: Double

    /// Creates a policy.
    /// - Parameters:
    ///   - initial: Nominal delay of the first retry.
    ///   - maximum: Cap of the nominal delay.
    ///   - multiplier: Growth per retry, 2 by default.
    public init(initial: Duration, maximum: Duration, multiplier: Double = 2) {
        self.initial = max(initial, .zero)
        self.maximum = max(maximum, self.initial)
        self.multiplier = max(1, multiplier)
    }

    /// Reconnects after an unplanned drop: 1 s doubling up to 30 s (IRC-R3).
    public static let reconnect = BackoffPolicy(initial: .seconds(1), maximum: .seconds(30))
    /// Retries of a JOIN that got no reply: 5 s doubling up to 5 minutes (IRC-J2).
    public static let joinRetry = BackoffPolicy(initial: .seconds(5), maximum: .seconds(300))
    /// Retries of a suspended channel: 10 minutes doubling up to 2 hours (IRC-J2).
    public static let suspendedChannel = BackoffPolicy(initial: .seconds(600), maximum: .seconds(7_200))

    /// The nominal (jitter-free) delay before retry `attempt`.
    /// - Parameter attempt: The retry number, from 1 (values below 1 count as 1).
    public func nominalDelay(attempt: Int) -> Duration {
        let initialSeconds = initial.secondsValue
        let maximumSeconds = maximum.secondsValue
        var seconds = initialSeconds
        var step = 1
        while step < attempt && seconds < maximumSeconds {
            seconds *= multiplier
            step += 1
        }
        return .seconds(min(seconds, maximumSeconds))
    }

    /// The delay before retry `attempt` for a given jitter value.
    /// - Parameters:
    ///   - attempt: The retry number, from 1.
    ///   - jitter: A value in `0...1` (clamped); 0 gives half the nominal delay, 1 the full one.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        let factor = 0.5 + 0.5 * min(max(jitter, 0), 1)
        return .seconds(nominalDelay(attempt: attempt).secondsValue * factor)
    }

    /// The delay before retry `attempt`, jittered with `generator`.
    /// - Parameters:
    ///   - attempt: The retry number, from 1.
    ///   - generator: The source of randomness.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(attempt: attempt, jitter: Double.random(in: 0...1, using: &generator))
    }
}

extension Duration {
    /// The duration in seconds as a floating-point value.
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
