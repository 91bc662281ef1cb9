/// Counts attempts per subject (e.g. `apikey:<id>`) and says whether one more is allowed.
public protocol RateLimiter: Sendable {
    /// Counts one attempt by `subject` and returns whether it is allowed.
    func acquire(_ subject: String) async throws -> RateLimitDecision
}
