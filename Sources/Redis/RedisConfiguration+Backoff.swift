extension RedisConfiguration {
    /// Capped exponential backoff with jitter, for reconnect attempts.
    public struct Backoff: Sendable, Hashable {
        /// How the random part of each delay is drawn.
        public enum Jitter: Sendable, Hashable {
            /// Exactly the exponential delay.
            case none
            /// Uniform in `0...delay`.
            case full
            /// Half the delay plus a uniform part in `0...delay/2`.
            case equal
        }

        /// Delay before the first retry (before jitter).
        public var initial: Duration
        /// Largest delay (before jitter); keeps a returning server in use again within this time.
        public var maximum: Duration
        /// How delays are randomised.
        public var jitter: Jitter

        /// Creates a backoff policy.
        /// - Parameters:
        ///   - initial: First delay (100 ms).
        ///   - maximum: Delay cap (3 s).
        ///   - jitter: Randomisation (`.equal`).
        public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(3), jitter: Jitter = .equal) {
            self.initial = initial
            self.maximum = maximum
            self.jitter = jitter
        }

        /// The delay before retry number `attempt` (0-based), drawn with the system random generator.
        public func delay(forAttempt attempt: Int) -> Duration {
            var generator = SystemRandomNumberGenerator()
            return self.delay(forAttempt: attempt, using: &generator)
        }

        /// The delay before retry number `attempt` (0-based), drawn with `generator`.
        public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
            let initial = Self.seconds(self.initial)
            let maximum = max(0, Self.seconds(self.maximum))
            let exponential = initial * Double(sign: .plus, exponent: min(max(attempt, 0), 62), significand: 1)
            let capped = min(max(0, exponential), maximum)
            let seconds: Double
            switch self.jitter {
            case .none:
                seconds = capped
            case .full:
                seconds = Double.random(in: 0...capped, using: &generator)
            case .equal:
                seconds = capped / 2 + Double.random(in: 0...(capped / 2), using: &generator)
            }
            return .nanoseconds(Int64((seconds * 1e9).rounded()))
        }

        private static func seconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }
}
