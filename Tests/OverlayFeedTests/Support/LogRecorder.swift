import Logging
import Synchronization

/// Records log entries of the loggers it makes and lets a test wait for a particular one.
final class LogRecorder: Sendable {
    /// One recorded entry.
    struct Entry: Sendable {
        /// The level.
        var level: Logger.Level
        /// The message.
        var message: String
        /// The metadata, flattened to strings.
        var metadata: [String: String]
    }

    /// A waiter for an entry matching a predicate.
    private struct Waiter {
        /// What it waits for.
        var matches: @Sendable (Entry) -> Bool
        /// Its continuation.
        var continuation: CheckedContinuation<Entry, Never>
    }

    /// Entries so far and the waiters.
    private struct State {
        /// Entries so far.
        var entries: [Entry] = []
        /// Suspended waiters.
        var waiters: [Waiter] = []
    }

    /// The shared state.
    private let state = Mutex(State())

    /// Creates an empty recorder.
    init() {}

    /// A logger (level trace) whose entries go to this recorder.
    var logger: Logger {
        var logger = Logger(label: "test.feed") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Every entry so far.
    var entries: [Entry] { self.state.withLock { $0.entries } }

    /// Waits for the first entry (recorded before or after the call) that matches.
    func first(where matches: @escaping @Sendable (Entry) -> Bool) async -> Entry {
        await withCheckedContinuation { continuation in
            let found = self.state.withLock { state -> Entry? in
                if let entry = state.entries.first(where: matches) { return entry }
                state.waiters.append(Waiter(matches: matches, continuation: continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    /// Stores an entry and wakes the waiters it satisfies.
    fileprivate func record(_ entry: Entry) {
        let woken = self.state.withLock { state -> [CheckedContinuation<Entry, Never>] in
            state.entries.append(entry)
            let woken = state.waiters.filter { $0.matches(entry) }.map(\.continuation)
            state.waiters.removeAll { $0.matches(entry) }
            return woken
        }
        for continuation in woken { continuation.resume(returning: entry) }
    }

    /// The log handler feeding a recorder.
    private struct Handler: LogHandler {
        /// Where entries go.
        let recorder: LogRecorder
        /// The handler's metadata.
        var metadata: Logger.Metadata = [:]
        /// The handler's level.
        var logLevel: Logger.Level = .trace

        /// The handler's metadata value for `key`.
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        /// Records one entry.
        func log(event: LogEvent) {
            var merged = self.metadata
            merged.merge(event.metadata ?? [:]) { _, new in new }
            self.recorder.record(
                Entry(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" })
            )
        }
    }
}
