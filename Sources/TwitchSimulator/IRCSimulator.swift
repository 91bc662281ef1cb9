public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
import NIOWebSocket
public import ServiceLifecycle
import Synchronization

/// A local stand-in for `wss://irc-ws.chat.twitch.tv`: Twitch chat over a real WebSocket (plain `ws://`).
///
/// It speaks the protocol as Twitch does (login burst, capabilities, JOIN replies, PING/PONG,
/// RECONNECT, tags and escaping; rule ids from docs/twitch-protocol.md §1 are cited in the code) and
/// lets tests script the chat: deliver messages in bulk, moderate, drop or recycle connections, and
/// observe what clients sent. Run it as a `Service`; `run()` serves until cancelled or gracefully shut
/// down, then closes every connection.
///
/// ```swift
/// let simulator = IRCSimulator(logger: logger)
/// // run `simulator` in a ServiceGroup or a task, then:
/// let port = await simulator.boundPort()
/// try await simulator.waitForJoined(["somechannel"])
/// await simulator.privmsg(SimulatedMessage(userID: "1", login: "viewer", text: "!vote 2"), in: "somechannel")
/// ```
///
/// Nothing here blocks an event loop: the shared state sits behind a `Mutex` held only for short updates,
/// and bulk frames are encoded on the caller's task before being handed to the connections' loops.
public final class IRCSimulator: Service, Sendable {
    /// The host the listening socket binds to.
    public let host: String
    /// The port requested at creation (0 = ephemeral; see `boundPort()`).
    public let requestedPort: Int
    /// The server's behaviour switches.
    public let options: Options
    /// Root logger of the simulator.
    let logger: Logger
    /// Event loops for the listening socket and connections.
    let eventLoopGroup: any EventLoopGroup
    /// Creation time; join records are relative to it.
    let startedAt: ContinuousClock.Instant
    /// All shared mutable state.
    let state: Mutex<SimulatorState>

    /// Creates a simulator; nothing listens until `run()`.
    /// - Parameters:
    ///   - host: Address to bind, by default the loopback.
    ///   - port: Port to bind; 0 picks a free one (read it with `boundPort()`).
    ///   - options: Behaviour switches.
    ///   - eventLoopGroup: Event loops to run on, by default NIO's shared group.
    ///   - logger: Logger for lifecycle (info) and per-connection (debug) events.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        options: Options = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        var options = options
        options.rejectedTokens = Set(options.rejectedTokens.map { $0.hasPrefix("oauth:") ? String($0.dropFirst(6)) : $0 })
        options.nonexistentChannels = Set(options.nonexistentChannels.map(TwitchLines.channelName))
        options.suspendedChannels = Set(options.suspendedChannels.map(TwitchLines.channelName))
        options.roomIDs = Dictionary(options.roomIDs.map { (TwitchLines.channelName($0.key), $0.value) }, uniquingKeysWith: { $1 })
        self.host = host
        self.requestedPort = port
        self.options = options
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.startedAt = .now
        self.state = Mutex(SimulatorState(seed: options.randomSeed))
    }

    // MARK: Lifecycle

    /// Binds, serves until the task is cancelled or the service group shuts down gracefully, then closes
    /// every connection with a `1001 going away` close frame and returns.
    /// - Throws: The bind error if the address cannot be bound. Calling it twice is a programmer error.
    public func run() async throws {
        state.withLock { state in
            guard case .idle = state.phase else { preconditionFailure("IRCSimulator.run() called more than once") }
            state.phase = .binding
        }
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in initializeConnection(channel) }
        let server: any Channel
        do {
            server = try await bootstrap.bind(host: host, port: requestedPort).get()
        } catch {
            let waiters = state.withLock { state in
                state.phase = .stopped
                defer { state.portWaiters = [] }
                return state.portWaiters
            }
            for waiter in waiters { waiter.resume(returning: 0) }
            logger.error("IRC simulator bind failed", metadata: ["error": "\(error)"])
            throw error
        }
        let port = server.localAddress?.port ?? 0
        let waiters = state.withLock { state in
            state.phase = .running(port: port)
            defer { state.portWaiters = [] }
            return state.portWaiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
        logger.info("IRC simulator listening", metadata: ["simulator.url": "\(url(port: port))"])

        await withTaskCancellationOrGracefulShutdownHandler {
            try? await server.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            server.close(promise: nil)
        }

        let entries = state.withLock { state in
            state.phase = .stopped
            return Array(state.connections.values)
        }
        for entry in entries {
            if let handler = entry.handler {
                entry.channel.eventLoop.execute { handler.value.closeWithFrame(code: .goingAway) }
            } else {
                entry.channel.close(promise: nil)
            }
        }
        for entry in entries { try? await entry.channel.closeFuture.get() }
        logger.info("IRC simulator stopped", metadata: ["simulator.connections_closed": "\(entries.count)"])
    }

    /// The bound port, once `run()` has bound it (0 if the bind failed or the simulator stopped).
    public func boundPort() async -> Int {
        await withCheckedContinuation { continuation in
            let port: Int? = state.withLock { state in
                switch state.phase {
                case .running(let port): return port
                case .stopped: return 0
                case .idle, .binding:
                    state.portWaiters.append(continuation)
                    return nil
                }
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    /// `ws://<host>:<port>`: the bound port once running, else the requested one.
    public var url: String {
        let port = state.withLock { state -> Int in
            if case .running(let port) = state.phase { return port }
            return requestedPort
        }
        return url(port: port)
    }

    /// `ws://<host>:<port>`, bracketing an IPv6 host.
    private func url(port: Int) -> String {
        host.contains(":") ? "ws://[\(host)]:\(port)" : "ws://\(host):\(port)"
    }

    /// The `room-id` of a channel: `options.roomIDs` if set, else a stable hash of the login (also the
    /// broadcaster's `user-id`, as on Twitch).
    /// - Parameter channel: Channel login, with or without `#`, any case.
    public func roomID(of channel: String) -> String {
        let name = TwitchLines.channelName(channel)
        return options.roomIDs[name] ?? TwitchLines.stableID(name)
    }

    // MARK: Connections

    /// Registers an accepted connection and sets up HTTP with the WebSocket upgrade; runs on its loop.
    private func initializeConnection(_ channel: any Channel) -> EventLoopFuture<Void> {
        let id: Int? = state.withLock { state in
            if case .stopped = state.phase { return nil }
            let id = state.nextConnectionID
            state.nextConnectionID += 1
            state.connections[id] = ConnectionEntry(id: id, channel: channel, connectedAt: .now)
            return id
        }
        guard let id else { return channel.close() }
        channel.closeFuture.whenComplete { [self] _ in connectionClosed(id) }
        let maxFrameSize = options.maxInboundFrameSize
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { [self] channel, _ in
                channel.pipeline.removeHandler(name: PlainHTTPHandler.name).flatMapThrowing {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0,
                            maxAccumulatedFrameCount: 1024,
                            maxAccumulatedFrameSize: maxFrameSize
                        )
                    )
                    try operations.addHandler(IRCConnectionHandler(id: id, simulator: self, logger: self.logger))
                }
            }
        )
        return channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            try operations.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            try operations.addHandler(PlainHTTPHandler(), name: PlainHTTPHandler.name)
        }
    }

    /// Applies `body` to the state, then resumes the waiters whose condition now holds.
    func mutate<Result: Sendable>(_ body: (inout SimulatorState) -> Result) -> Result {
        let (result, ready) = state.withLock { state in
            let result = body(&state)
            return (result, state.takeSatisfiedWaiters())
        }
        for continuation in ready { continuation.resume() }
        return result
    }

    /// Forgets a closed connection.
    private func connectionClosed(_ id: Int) {
        mutate { $0.remove(connection: id) }
    }

    /// Records the protocol handler of an upgraded connection.
    func attach(connection id: Int, handler: NIOLoopBound<IRCConnectionHandler>) {
        mutate { $0.connections[id]?.handler = handler }
    }

    /// Counts one received line.
    func received(command: String, connection id: Int) {
        mutate { state in
            state.commandCounts[command, default: 0] += 1
            state.connections[id]?.linesReceived += 1
        }
    }

    /// Records acknowledged capabilities.
    func acknowledged(capabilities: [String], connection id: Int) {
        mutate { $0.connections[id]?.capabilities.formUnion(capabilities) }
    }

    /// Records a successful login.
    func loggedIn(connection id: Int, login: String, anonymous: Bool) {
        mutate { state in
            state.connections[id]?.login = login
            state.connections[id]?.isAnonymous = anonymous
        }
    }

    /// Appends a JOIN command to the join log.
    func recordJoin(connection id: Int, channels: [String]) {
        let now = ContinuousClock.now
        mutate { state in
            state.joinLog.append(
                JoinRecord(
                    instant: now,
                    sinceStart: now - startedAt,
                    connectionID: id,
                    login: state.connections[id]?.login,
                    channels: channels
                )
            )
        }
    }

    /// Marks `channel` joined and returns its replay lines (IRC-T5), atomically with chat fan-out so a
    /// message is either replayed or delivered live, never lost.
    func joined(channel: String, connection id: Int) -> [OutgoingLine] {
        mutate { state in
            guard state.connections[id] != nil else { return [] }
            state.connections[id]?.joined.insert(channel)
            state.members[channel, default: []].insert(id)
            return state.replay[channel]?.lines ?? []
        }
    }

    /// Marks `channel` parted; false when it was not joined.
    func parted(channel: String, connection id: Int) -> Bool {
        mutate { state in
            guard state.connections[id]?.joined.remove(channel) != nil else { return false }
            state.members[channel]?.remove(id)
            if state.members[channel]?.isEmpty == true { state.members[channel] = nil }
            return true
        }
    }

    /// Counts a PONG.
    func pongReceived(connection id: Int) {
        mutate { $0.connections[id]?.pongsReceived += 1 }
    }

    /// Records a client PRIVMSG.
    func clientSent(_ message: ClientChatMessage) {
        mutate { $0.clientMessages.append(message) }
    }

    /// A fresh message id.
    func newMessageID() -> String {
        SimulatedMessage.newID()
    }
}
