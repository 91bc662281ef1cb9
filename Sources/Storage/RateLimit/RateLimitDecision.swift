/// What a rate limiter decided for one attempt.
public enum RateLimitDecision: Sendable, Hashable {
    /// The attempt is within the limit; `remaining` more fit in the current window.
    case allowed(remaining: Int)
    /// The limit is reached; try again in `retryAfter` seconds (at least 1).
    case limited(retryAfter: Int)
}
