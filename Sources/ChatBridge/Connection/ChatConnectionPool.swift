import AsyncAlgorithms
import Core
public import Logging
import Metrics
public import NIOCore
import NIOPosix
import NIOSSL
public import ServiceLifecycle
import Synchronization

/// The Twitch chat connection pool: keeps the wanted channels joined over as many IRC-over-WebSocket
/// connections as needed and streams what they receive (docs/twitch-protocol.md §1).
///
/// - Channels: `setChannels(_:)`, `join(_:)`, `part(_:)`, idempotent and callable any time (before `run()` too).
///   At most 90 channels per connection, at most one new connection per 2 s (IRC-J5), JOINs under a
///   pool-wide token bucket (IRC-J3), each confirmed by the self-JOIN or ROOMSTATE within 10 s or retried
///   with backoff (IRC-J2); a suspended channel is reported and retried with a long backoff.
/// - Login: anonymous `justinfan<digits>` or `PASS`/`NICK` of a bot account, `CAP REQ` tags+commands, JOINs
///   only after `001`; a failed login asks the token provider for a refreshed token and backs off (IRC-L1–L6).
/// - Keepalive: server PINGs answered, our own PING every 30 s with a 5 s deadline (IRC-P1, IRC-P2).
/// - RECONNECT: make-before-break; the old connection closes once the new one has re-joined (IRC-R1, IRC-R2).
///   Drops: capped, jittered exponential backoff, then everything re-joined (IRC-R3, IRC-J6).
///
/// It is a `Service`: `run()` works until cancelled or gracefully shut down, then closes the sockets.
/// Events have one consumer at a time, through `withEvents(_:)`:
///
/// ```swift
/// let pool = ChatConnectionPool(configuration: .init(), logger: logger)
/// pool.setChannels(["somechannel"])
/// // run `pool` in a ServiceGroup, and in another service:
/// await pool.withEvents { events in
///     for await event in events {
///         if case .messages(let lines) = event { /* ... */ }
///     }
/// }
/// ```
public final class ChatConnectionPool: Service, Sendable {
    /// The settings.
    public let configuration: ChatConnectionPoolConfiguration
    /// Root logger of the pool.
    let logger: Logger
    /// Event loops for the connections.
    let eventLoopGroup: any EventLoopGroup
    /// The decisions (a pure state machine), behind a mutex held only for short updates.
    let state: Mutex<PoolState>
    /// Wakes the coordinator when something changed.
    let wake = WakeSignal()
    /// Where events go; `send` waits for the consumer (back-pressure).
    let events = AsyncChannel<ChatPoolEvent>()
    /// Whether `withEvents` is in use.
    private let consuming = Atomic<Bool>(false)
    /// `tumulte_chat_connections`: logged-in connections.
    let connectionsGauge = Gauge(label: "tumulte_chat_connections")
    /// `tumulte_chat_joined_channels`: confirmed channels.
    let joinedGauge = Gauge(label: "tumulte_chat_joined_channels")
    /// `tumulte_chat_reconnects_total`: RECONNECTs handled plus logged-in connections lost unexpectedly.
    let reconnectsCounter = Counter(label: "tumulte_chat_reconnects_total")

    /// Creates a pool; nothing connects until `run()`.
    /// - Parameters:
    ///   - configuration: The settings.
    ///   - eventLoopGroup: Event loops for the sockets, NIO's shared group by default.
    ///   - logger: Logger for lifecycle (info), per-connection and per-channel events (debug).
    public init(
        configuration: ChatConnectionPoolConfiguration = .init(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.state = Mutex(PoolState(configuration: configuration))
    }

    // MARK: Login

    /// The login new connections use: `configuration.login` until ``changeLogin(_:)``.
    public var login: ChatLogin { state.withLock { $0.login } }

    /// Logs chat in as `login` from now on: new connections use it, and once one is logged in the old ones are
    /// replaced one at a time, each reading until its channels are joined on its replacement, so no message is
    /// missed; a new login that cannot log in leaves the old connections reading.
    public func changeLogin(_ login: ChatLogin) {
        state.withLock { $0.changeLogin(login) }
        logger.info("Chat login changed", metadata: [ChatLogKey.login: "\(login.isAnonymous ? "anonymous" : "account")"])
        wake.signal()
    }

    // MARK: Channels

    /// Makes `channels` the wanted set: the others are parted, the new ones joined.
    /// - Parameter channels: Channel logins, with or without `#`, any case.
    public func setChannels(_ channels: some Sequence<String>) {
        let names = Set(ChatConnectionPool.names(channels))
        state.withLock { $0.setWanted(names) }
        wake.signal()
    }

    /// Adds channels to the wanted set; already wanted ones are left alone.
    /// - Parameter channels: Channel logins, with or without `#`, any case.
    public func join(_ channels: some Sequence<String>) {
        let names = ChatConnectionPool.names(channels)
        state.withLock { $0.addWanted(names) }
        wake.signal()
    }

    /// Removes channels from the wanted set and parts them; unknown ones are ignored.
    /// - Parameter channels: Channel logins, with or without `#`, any case.
    public func part(_ channels: some Sequence<String>) {
        let names = ChatConnectionPool.names(channels)
        state.withLock { $0.removeWanted(names) }
        wake.signal()
    }

    /// Connections, joined and wanted channels, for health checks.
    public func status() -> ChatPoolStatus {
        state.withLock { $0.status }
    }

    /// Channel logins cleaned as sent after `#`: lower case, no `#`, spaces, commas or line breaks.
    private static func names(_ channels: some Sequence<String>) -> [String] {
        channels.map(IRCOutgoing.channelName).filter { !$0.isEmpty }
    }

    // MARK: Events

    /// Runs `body` with the pool's events; one consumer at a time (a second concurrent call is a programmer error).
    ///
    /// The sequence ends when `run()` returns. Events produced while nobody consumes wait (back-pressure),
    /// so start consuming before or right after `run()`.
    /// - Parameters:
    ///   - isolation: The caller's isolation.
    ///   - body: Consumes the events.
    /// - Returns: What `body` returns.
    public func withEvents<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (ChatPoolEvents) async throws -> Result
    ) async rethrows -> Result {
        let (exchanged, _) = consuming.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(exchanged, "ChatConnectionPool.withEvents(_:) is already in use: events have a single consumer")
        defer { consuming.store(false, ordering: .releasing) }
        return try await body(ChatPoolEvents(channel: events))
    }

    // MARK: Sending

    /// Sends a chat message as the bot account (IRC-S1), waiting for the send limit (IRC-S3).
    ///
    /// The message goes out on a connection joined to the channel, else any logged-in one. It is queued
    /// for writing when this returns; Twitch does not echo it (IRC-G10).
    /// - Parameters:
    ///   - text: The message, at most 500 characters (IRC-S2); CR/LF/NUL are removed.
    ///   - channel: Channel login, with or without `#`.
    ///   - replyTo: Id of a message to reply to, if any.
    /// - Throws: `ChatPoolError` with `.anonymous`, `.messageTooLong`, `.invalidChannel` or `.notConnected`;
    ///   `CancellationError` when cancelled while waiting for the limit.
    public func send(_ text: String, to channel: String, replyTo: String? = nil) async throws {
        guard !login.isAnonymous else {
            throw ChatPoolError(.anonymous, message: "sending needs a bot account; the pool reads anonymously")
        }
        guard text.count <= 500 else {
            throw ChatPoolError(.messageTooLong, message: "the message has \(text.count) characters; Twitch allows 500")
        }
        let name = IRCOutgoing.channelName(channel)
        guard !name.isEmpty else { throw ChatPoolError(.invalidChannel, message: "the channel name is empty") }
        let notConnected = ChatPoolError(.notConnected, message: "no chat connection is logged in")
        guard state.withLock({ $0.sendTarget(for: name) }) != nil else { throw notConnected }
        while let retryAt = state.withLock({ $0.takeSendToken(now: .now) }) {
            try await Task.sleep(until: retryAt, clock: .continuous)
        }
        guard let outbox = state.withLock({ $0.sendTarget(for: name) }) else { throw notConnected }
        outbox.yield(.lines([IRCOutgoing.privmsg(channel: name, text: text, replyTo: replyTo)]))
    }

    // MARK: Lifecycle

    /// Connects, joins and keeps everything going until cancelled or gracefully shut down; then closes
    /// every connection, ends the event sequence and returns.
    /// - Throws: `ChatPoolError.Code.invalidConfiguration` for a bad URL or CA file. A second call is a
    ///   programmer error.
    public func run() async throws {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        precondition(!alreadyStarted, "ChatConnectionPool.run() called more than once")
        defer { events.finish() }
        let tlsConfiguration = try makeTLSConfiguration()
        logger.info(
            "Chat connection pool started",
            metadata: [ChatLogKey.url: "\(configuration.url)", ChatLogKey.login: "\(login.isAnonymous ? "anonymous" : "account")"]
        )
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                await self.coordinate(group: &group, tlsConfiguration: tlsConfiguration)
            }
        }
        connectionsGauge.record(0)
        joinedGauge.record(0)
        logger.info("Chat connection pool stopped")
    }

    /// The TLS settings for `wss://` (system roots plus the optional CA file), nil for `ws://`.
    private func makeTLSConfiguration() throws -> TLSConfiguration? {
        let lowered = configuration.url.lowercased()
        if lowered.hasPrefix("ws://") { return nil }
        guard lowered.hasPrefix("wss://") else {
            throw ChatPoolError(.invalidConfiguration, message: "the chat URL must start with wss:// or ws://")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            } catch {
                throw ChatPoolError(.invalidConfiguration, message: "cannot read the trusted CA file \(file): \(error)")
            }
        }
        return tls
    }

    /// The coordinator loop: ticks the state machine whenever something changed or a deadline passed, and
    /// carries out its actions (connection tasks join `group`).
    private func coordinate(group: inout DiscardingTaskGroup, tlsConfiguration: TLSConfiguration?) async {
        while !Task.isCancelled {
            let output = state.withLock { $0.tick(now: .now) }
            for action in output.actions {
                switch action {
                case .open(let id, let refreshToken, let login):
                    logger.debug("Chat connection opening", metadata: [ChatLogKey.connection: "\(id)"])
                    group.addTask {
                        await self.runConnection(id: id, login: login, refreshToken: refreshToken, tlsConfiguration: tlsConfiguration)
                    }
                case .send(let outbox, let lines, _):
                    outbox.yield(.lines(lines))
                case .close(let outbox, let id, let reason):
                    logger.info(
                        "Chat connection closing",
                        metadata: [ChatLogKey.connection: "\(id)", ChatLogKey.reason: "\(reason.code)"]
                    )
                    outbox?.yield(.close)
                }
            }
            connectionsGauge.record(output.connectionCount)
            joinedGauge.record(output.joinedCount)
            for event in output.events {
                log(event)
                await events.send(event)
            }
            if let deadline = output.nextDeadline {
                await wake.wait(until: deadline)
            } else {
                await wake.wait()
            }
        }
    }

    /// Logs a channel-level event of the coordinator.
    private func log(_ event: ChatPoolEvent) {
        switch event {
        case .parted(let channel):
            logger.debug("Chat channel parted", metadata: [ChatLogKey.channel: "\(channel)"])
        case .joinFailed(let channel, let reason):
            logger.debug(
                "Chat channel join failed",
                metadata: [ChatLogKey.channel: "\(channel)", ChatLogKey.reason: "\(reason)"]
            )
        default:
            break
        }
    }
}
