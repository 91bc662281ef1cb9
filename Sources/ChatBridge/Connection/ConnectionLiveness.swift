import Core
import Synchronization

/// What one connection's reader tells its watchdog: logged in yet, and signs of life after a PING (IRC-L4, IRC-P2).
final class ConnectionLiveness: Sendable {
    /// The observations.
    private struct State {
        /// `001` arrived.
        var welcomed = false
        /// Text frames read so far.
        var framesRead = 0
        /// Texts of the PONGs received, bounded to the last few.
        var pongs: [String] = []
        /// The reader is waiting for the consumer to take a batch (back-pressure).
        var delivering = false
        /// Why the reader ended the connection, when it did (e.g. a login failure).
        var failure: ChatPoolError?
    }

    /// The shared state, held only for short updates.
    private let state = Mutex(State())
    /// Signalled on `001`.
    private let welcome = WakeSignal()
    /// Signalled once the batch holding the PONG of the closing PING was delivered.
    private let drained = WakeSignal()

    /// The text of the PING sent before closing: its PONG proves everything sent earlier was read.
    static let closingPingText = "tumulte-close"

    /// Creates the tracker.
    init() {}

    /// Records `001`.
    func welcomed() {
        state.withLock { $0.welcomed = true }
        welcome.signal()
    }

    /// Whether `001` arrived.
    var isWelcomed: Bool { state.withLock { $0.welcomed } }

    /// Waits until `001` or `deadline`.
    /// - Returns: Whether `001` arrived.
    func waitWelcomed(until deadline: ContinuousClock.Instant) async -> Bool {
        if isWelcomed { return true }
        await welcome.wait(until: deadline)
        return isWelcomed
    }

    /// Records that the batch holding the closing PING's PONG was handed to the consumer.
    func drainedBeforeClose() {
        drained.signal()
    }

    /// Waits until the closing PING's PONG was delivered, or `deadline`.
    func waitDrained(until deadline: ContinuousClock.Instant) async {
        await drained.wait(until: deadline)
    }

    /// Records why the reader ends the connection; it wins over whatever the socket reports while closing.
    func recordFailure(_ failure: ChatPoolError) {
        state.withLock { $0.failure = failure }
    }

    /// The failure the reader recorded, if any.
    var failure: ChatPoolError? { state.withLock { $0.failure } }

    /// Records a text frame read.
    func frameRead() {
        state.withLock { $0.framesRead &+= 1 }
    }

    /// Records a PONG.
    func pongReceived(_ text: String) {
        state.withLock { state in
            state.pongs.append(text)
            if state.pongs.count > 8 { state.pongs.removeFirst(state.pongs.count - 8) }
        }
    }

    /// Marks the reader as blocked on (or released from) the consumer.
    func setDelivering(_ delivering: Bool) {
        state.withLock { $0.delivering = delivering }
    }

    /// The frames read so far, to compare after a PING.
    var framesRead: Int { state.withLock { $0.framesRead } }

    /// Whether the connection showed life since a PING sent after `framesRead` frames: its PONG, any frame, or
    /// a reader held back by the consumer (the PONG may be waiting unread behind back-pressure).
    func isAlive(pingText: String, framesReadAtPing: Int) -> Bool {
        state.withLock { state in
            state.pongs.contains(pingText) || state.framesRead != framesReadAtPing || state.delivering
        }
    }
}
