/// The hub's view of a clock: time as the duration since the hub was created, and sleeping until such a time.
///
/// Wrapping any `Clock<Duration>` this way keeps ``FeedHub`` non-generic while tests inject a manual clock.
struct FeedClock: Sendable {
    /// Reads the elapsed time.
    private let elapsed: @Sendable () -> Duration
    /// Sleeps until an elapsed time.
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`; its current instant becomes time zero.
    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.sleeper = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }

    /// The time elapsed since the clock was wrapped.
    var now: Duration { self.elapsed() }

    /// Sleeps until `deadline` (elapsed time); throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Duration) async throws {
        try await self.sleeper(deadline)
    }
}
