public import Logging
import NIOCore
import NIOPosix
public import NIOSSL
import NIOWebSocket
import Synchronization
import WSClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One EventSub WebSocket session, kept alive: a session holds the subscriptions of one user only (ES-11), so the
/// daemon runs one of these per broadcaster token.
///
/// It connects, waits for the welcome and calls `subscribe` with the session id (within the welcome window,
/// ES-3); it watches for silence longer than 1.2 × the keepalive timeout (ES-5); it follows `session_reconnect`
/// to the given URL as is, keeping the old socket until the new one's welcome and not subscribing again (ES-6);
/// after a real drop it connects afresh with backoff and subscribes again (ES-7), and the `.ready` event says the
/// caller must re-read what it missed. Notifications are de-duplicated by message id (ES-13). The client never
/// sends a data frame (ES-4).
public final class EventSubConnection: Sendable {
    /// Settings.
    public struct Configuration: Sendable {
        /// `TWITCH_EVENTSUB_URL`.
        public var url: String
        /// The keepalive timeout asked for (ES-1: 10 … 600 s).
        public var keepaliveSeconds: Int
        /// TLS settings for `wss://` (extra trusted CA).
        public var tlsConfiguration: TLSConfiguration?
        /// How long to wait for the welcome.
        public var welcomeTimeout: Duration = .seconds(10)
        /// The first reconnect delay; it doubles up to `maximumBackoff`.
        public var initialBackoff: Duration = .milliseconds(500)
        /// The longest reconnect delay.
        public var maximumBackoff: Duration = .seconds(60)

        /// Creates the settings.
        public init(url: String, keepaliveSeconds: Int = 30, tlsConfiguration: TLSConfiguration? = nil) {
            self.url = url
            self.keepaliveSeconds = min(600, max(10, keepaliveSeconds))
            self.tlsConfiguration = tlsConfiguration
        }
    }

    /// What the session reports.
    public enum Event: Sendable, Equatable {
        /// Subscribed on a new session (`resumed` false: after a start or a drop, events may have been missed, so
        /// the caller re-reads state, ES-7), or moved to a new socket by `session_reconnect` (`resumed` true:
        /// nothing was missed).
        case ready(sessionID: String, resumed: Bool)
        /// A notification, once per message id.
        case notification(EventSubNotification)
        /// A subscription Twitch revoked (ES-8).
        case revocation(EventSubSubscription)
        /// The socket went away; a new one is on its way.
        case disconnected(reason: String)
    }

    private let configuration: Configuration
    private let subscribe: @Sendable (String) async throws -> Void
    private let handle: @Sendable (Event) async -> Void
    private let logger: Logger

    /// Creates the connection; nothing happens until ``run()``.
    /// - Parameters:
    ///   - configuration: Where and how.
    ///   - subscribe: Creates the subscriptions on a new session (its id given); throwing drops the session.
    ///   - handle: Receives the events, in order.
    ///   - logger: For connection events; frames are never logged.
    public init(
        configuration: Configuration,
        logger: Logger,
        subscribe: @escaping @Sendable (String) async throws -> Void,
        handle: @escaping @Sendable (Event) async -> Void
    ) {
        self.configuration = configuration
        self.subscribe = subscribe
        self.handle = handle
        self.logger = logger
    }

    /// Keeps a session until the task is cancelled.
    public func run() async {
        var backoff = self.configuration.initialBackoff
        var replay = EventSubReplayGuard()
        while !Task.isCancelled {
            let outcome = await self.session(replay: &replay)
            guard !Task.isCancelled else { return }
            await self.handle(.disconnected(reason: outcome.reason))
            if outcome.welcomed { backoff = self.configuration.initialBackoff }
            // ES-9: 4001 and 4003 mean this client did something wrong; retrying at once would loop.
            let delay = outcome.clientFault ? max(backoff, .seconds(10)) : backoff
            self.logger.warning(
                "EventSub session ended; reconnecting",
                metadata: [
                    "eventsub.reason": "\(outcome.reason)",
                    "eventsub.retry_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                ]
            )
            try? await Task.sleep(for: delay)
            backoff = min(backoff * 2, self.configuration.maximumBackoff)
        }
    }

    /// How a session ended.
    struct Outcome {
        var reason: String
        var welcomed: Bool
        var clientFault = false
    }

    /// What the sockets of a session report.
    private enum Signal: Sendable {
        case frame(generation: Int, text: String, at: ContinuousClock.Instant)
        case closed(generation: Int, code: Int?)
        case tick(at: ContinuousClock.Instant)
    }

    /// Runs one session: the first socket, and the ones `session_reconnect` moves it to, until it is lost.
    private func session(replay: inout EventSubReplayGuard) async -> Outcome {
        let (signals, sink) = AsyncStream<Signal>.makeStream()
        let closers = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
        let url =
            self.configuration.url + (self.configuration.url.contains("?") ? "&" : "?")
            + "keepalive_timeout_seconds=\(self.configuration.keepaliveSeconds)"
        return await withTaskGroup(of: Void.self) { group in
            defer {
                for closer in closers.withLock({ Array($0.values) }) { closer.finish() }
                group.cancelAll()
            }
            func open(_ generation: Int, _ url: String) {
                let (closed, closer) = AsyncStream<Void>.makeStream()
                closers.withLock { $0[generation] = closer }
                group.addTask { await self.socket(generation: generation, url: url, sink: sink, closed: closed) }
            }
            func close(_ generation: Int) {
                closers.withLock { $0.removeValue(forKey: generation) }?.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    sink.yield(.tick(at: .now))
                }
            }
            open(0, url)
            // The socket the session is on, the one a `session_reconnect` is moving it to, and the one it left
            // (still read until it closes: what it delivered before the move is not lost, and duplicates are dropped).
            var current = 0
            var pending: Int?
            var previous: Int?
            var nextGeneration = 1
            var sessionID: String?
            var keepalive = Double(self.configuration.keepaliveSeconds)
            // Arrival times, not processing times: a slow handler must not make a live socket look silent.
            var lastFrame = ContinuousClock.now
            var handoverDeadline: ContinuousClock.Instant?
            let started = ContinuousClock.now
            for await signal in signals {
                switch signal {
                case .tick(let at):
                    if sessionID == nil, at - started > self.configuration.welcomeTimeout {
                        return Outcome(reason: "no welcome within \(self.configuration.welcomeTimeout)", welcomed: false)
                    }
                    if let deadline = handoverDeadline, at > deadline {
                        return Outcome(reason: "the reconnect socket sent no welcome", welcomed: true)
                    }
                    // ES-5: no notification or keepalive for longer than the timeout (with slack) means a dead socket.
                    if sessionID != nil, handoverDeadline == nil, at - lastFrame > .milliseconds(Int(keepalive * 1200)) {
                        return Outcome(reason: "no message for \(Int(keepalive * 1.2)) s (keepalive timeout)", welcomed: true)
                    }
                case .closed(let generation, let code):
                    if generation == pending {
                        pending = nil
                        self.logger.warning(
                            "EventSub reconnect socket closed before its welcome",
                            metadata: ["eventsub.close_code": "\(code.map(String.init) ?? "none")"]
                        )
                    } else if generation == previous {
                        previous = nil
                    } else if generation == current, let next = pending {
                        // ES-6: the old socket went first (Twitch's own close, or a drop); the session lives on in
                        // the new one, which still has to send its welcome.
                        current = next
                        pending = nil
                        handoverDeadline = .now + self.configuration.welcomeTimeout
                    } else if generation == current {
                        let clientFault = code == 4001 || code == 4003
                        return Outcome(
                            reason: "closed with code \(code.map(String.init) ?? "none")",
                            welcomed: sessionID != nil,
                            clientFault: clientFault
                        )
                    }
                case .frame(let generation, let text, let at):
                    guard generation == current || generation == pending || generation == previous else { continue }
                    lastFrame = max(lastFrame, at)
                    let message: EventSubMessage
                    do {
                        message = try EventSubMessage(json: Array(text.utf8))
                    } catch {
                        self.logger.warning("EventSub frame skipped", metadata: ["eventsub.error": "\(error)"])
                        continue
                    }
                    switch message.kind {
                    case .welcome(let session):
                        if generation == pending || (generation == current && handoverDeadline != nil) {
                            // ES-6: the new socket is welcomed; the old one can go. Subscriptions moved with it.
                            if generation == pending {
                                previous = current
                                close(current)
                                current = generation
                                pending = nil
                            }
                            handoverDeadline = nil
                            sessionID = session.id
                            keepalive = Double(session.keepaliveTimeoutSeconds ?? Int(keepalive))
                            lastFrame = at
                            await self.handle(.ready(sessionID: session.id, resumed: true))
                        } else if generation == current, sessionID == nil {
                            keepalive = Double(session.keepaliveTimeoutSeconds ?? Int(keepalive))
                            do {
                                try await self.subscribe(session.id)
                            } catch {
                                return Outcome(reason: "subscribing failed: \(error)", welcomed: false)
                            }
                            sessionID = session.id
                            lastFrame = .now
                            await self.handle(.ready(sessionID: session.id, resumed: false))
                        }
                    case .reconnect(let session):
                        guard generation == current, pending == nil, let target = session.reconnectURL else { continue }
                        // ES-6: the URL is used as is, and the old socket keeps reading until the new welcome.
                        let next = nextGeneration
                        nextGeneration += 1
                        pending = next
                        open(next, target)
                    case .keepalive, .unknown:
                        break
                    case .notification(let notification):
                        let now = TwitchTimestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
                        guard replay.admit(id: message.metadata.messageID, sentAt: message.metadata.messageTimestamp, now: now) == .fresh else {
                            continue
                        }
                        await self.handle(.notification(notification))
                    case .revocation(let subscription):
                        await self.handle(.revocation(subscription))
                    }
                }
            }
            return Outcome(reason: "cancelled", welcomed: sessionID != nil)
        }
    }

    /// One socket: reports its text frames and its end, and closes (normally) when `closed` finishes.
    private func socket(generation: Int, url: String, sink: AsyncStream<Signal>.Continuation, closed: AsyncStream<Void>) async {
        var socketLogger = self.logger
        socketLogger.logLevel = max(socketLogger.logLevel, .info)
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: .seconds(2), autoPing: .disabled, validateUTF8: true)
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: url,
                configuration: configuration,
                tlsConfiguration: self.configuration.tlsConfiguration,
                logger: socketLogger
            ) { inbound, _, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                if case .text(let text) = message { sink.yield(.frame(generation: generation, text: text, at: .now)) }
                            }
                        } catch {}
                    }
                    group.addTask {
                        for await _ in closed {}
                    }
                    await group.next()
                    group.cancelAll()
                }
            }
            sink.yield(.closed(generation: generation, code: closeFrame.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }))
        } catch {
            self.logger.debug("EventSub socket failed", metadata: ["eventsub.error": "\(error)"])
            sink.yield(.closed(generation: generation, code: nil))
        }
    }
}
