import AsyncAlgorithms
import Core
import Logging
import Metrics
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import WSClient

extension ChatConnectionPool {
    /// The nick and token of one login.
    struct Credentials: Sendable {
        /// `justinfan<digits>` or the account's login, lower case.
        let nick: String
        /// The access token; nil when anonymous.
        let token: String?
    }

    /// One connection from open to end: login, reading, writing, keepalive; reports its end to the state.
    func runConnection(id: Int, login: ChatLogin, refreshToken: Bool, tlsConfiguration: TLSConfiguration?) async {
        var logger = self.logger
        logger[metadataKey: ChatLogKey.connection] = "\(id)"
        let (stream, outbox) = AsyncStream.makeStream(of: OutboxItem.self)
        state.withLock { $0.attach(outbox, connection: id) }
        let liveness = ConnectionLiveness()
        var reason: ChatPoolError
        do {
            let credentials = try await credentials(for: login, refresh: refreshToken)
            logger[metadataKey: ChatLogKey.login] = "\(credentials.nick)"
            let sessionLogger = logger
            reason = try await withThrowingTaskGroup(of: ChatPoolError.self) { group in
                group.addTask {
                    try await self.session(
                        id: id,
                        credentials: credentials,
                        stream: stream,
                        outbox: outbox,
                        liveness: liveness,
                        tlsConfiguration: tlsConfiguration,
                        logger: sessionLogger
                    )
                }
                group.addTask {
                    try await self.watchdog(outbox: outbox, liveness: liveness)
                }
                defer { group.cancelAll() }
                return try await group.next() ?? ChatPoolError(.shutdown, message: "the pool is stopping")
            }
        } catch let error as ChatPoolError {
            reason = error
        } catch {
            reason = ChatPoolError(.connectionFailed, message: "\(error)")
        }
        // A failure the reader saw (a login NOTICE) beats the error the closing socket may report instead.
        if let failure = liveness.failure { reason = failure }
        if Task.isCancelled { reason = ChatPoolError(.shutdown, message: "the pool is stopping") }
        outbox.finish()
        let now = ContinuousClock.now
        let (events, lostReady) = state.withLock { $0.connectionEnded(connection: id, reason: reason, now: now) }
        if lostReady { reconnectsCounter.increment() }
        wake.signal()
        for event in events {
            switch event {
            case .loginFailed(let failure, let retryAfter):
                logger.warning(
                    "Chat login failed",
                    metadata: [ChatLogKey.reason: "\(failure)", ChatLogKey.retryIn: "\(retryAfter.roundedDescription)"]
                )
            case .disconnected(_, let reason):
                logger.info("Chat connection closed", metadata: [ChatLogKey.reason: "\(reason)"])
            default:
                break
            }
            await self.events.send(event)
        }
    }

    /// The nick and token for a login; asks the token provider, for a refreshed token after a failure (IRC-L6).
    private func credentials(for login: ChatLogin, refresh: Bool) async throws -> Credentials {
        switch login.kind {
        case .undecided:
            // The state never opens a connection for it.
            throw ChatPoolError(.notConnected, message: "the pool's login is not decided yet")
        case .anonymous:
            // IRC-L3: tmi.js picks justinfan + 1000...80999.
            return Credentials(nick: "justinfan\(Int.random(in: 1000...80999))", token: nil)
        case .account(let login, let tokenProvider):
            do {
                let token = try await tokenProvider(refresh)
                return Credentials(nick: IRCOutgoing.channelName(login), token: token)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The provider's error text is not logged: it could quote a token.
                throw ChatPoolError(.tokenUnavailable, message: "the token provider threw \(type(of: error))")
            }
        }
    }

    /// The WebSocket part: logs in, then writes the outbox and reads frames until either side closes.
    /// - Returns: Why the connection ended when it ended without an error.
    private func session(
        id: Int,
        credentials: Credentials,
        stream: AsyncStream<OutboxItem>,
        outbox: Outbox,
        liveness: ConnectionLiveness,
        tlsConfiguration: TLSConfiguration?,
        logger: Logger
    ) async throws -> ChatPoolError {
        let socketConfiguration = WebSocketClientConfiguration(
            maxFrameSize: configuration.maxFrameSize,
            closeTimeout: configuration.closeTimeout,
            autoPing: .disabled,
            validateUTF8: false
        )
        // IRC-C1, IRC-L1: CAP REQ, PASS (accounts only), NICK, in one frame with CAP first; the WebSocket
        // library never logs below debug here, so no frame bytes (the token) reach a trace log.
        var loginLines = [IRCOutgoing.capabilityRequest()]
        if let token = credentials.token { loginLines.append(IRCOutgoing.pass(token: token)) }
        loginLines.append(IRCOutgoing.nick(credentials.nick))
        let loginFrame = IRCOutgoing.frame(loginLines)
        var socketLogger = logger
        socketLogger.logLevel = max(socketLogger.logLevel, .debug)
        let closeFrame = try await WebSocketClient.connect(
            url: configuration.url,
            configuration: socketConfiguration,
            tlsConfiguration: tlsConfiguration,
            eventLoopGroup: eventLoopGroup,
            logger: socketLogger
        ) { inbound, outbound, _ in
            self.state.withLock { $0.established(connection: id, now: .now) }
            try await outbound.write(.text(loginFrame))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in stream {
                        switch item {
                        case .lines(let lines):
                            try await outbound.write(.text(IRCOutgoing.frame(lines)))
                        case .close:
                            // A PING as a barrier: once its PONG is delivered, every line the server sent
                            // before it (say, chat queued before a RECONNECT's replacement joined) was
                            // delivered too, so ending the reader loses nothing (IRC-R2).
                            try await outbound.write(.text(IRCOutgoing.frame([IRCOutgoing.ping(ConnectionLiveness.closingPingText)])))
                            await liveness.waitDrained(until: .now + self.configuration.closeTimeout)
                            return
                        }
                    }
                }
                group.addTask {
                    try await self.read(
                        inbound,
                        connection: id,
                        nick: credentials.nick,
                        outbox: outbox,
                        liveness: liveness,
                        logger: logger
                    )
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
        let code = closeFrame.map { "\($0.closeCode)" } ?? "none"
        return ChatPoolError(.closedByServer, message: "the connection closed (close code \(code))")
    }

    /// Reads frames, answers PINGs, tracks login, JOIN confirmations, suspensions and RECONNECT, and hands
    /// every frame's events to the consumer as one batch (back-pressure: it waits for the consumer).
    private func read(
        _ inbound: WebSocketInboundStream,
        connection id: Int,
        nick: String,
        outbox: Outbox,
        liveness: ConnectionLiveness,
        logger: Logger
    ) async throws {
        var splitter = IRCFrameSplitter()
        for try await message in inbound.messages(maxSize: configuration.maxMessageSize).cancelOnGracefulShutdown() {
            guard case .text(let text) = message else { continue }
            liveness.frameRead()
            var batch: [ChatEvent] = []
            splitter.forEachLine(in: text) { line in
                do throws(IRCParseError) {
                    batch.append(try ChatEvent(parsing: line))
                } catch {
                    logger.debug("Chat line skipped", metadata: [ChatLogKey.parseError: "\(error.code)"])
                }
            }
            guard !batch.isEmpty else { continue }
            var control: [ChatPoolEvent] = []
            var confirmations: [String] = []
            var loginFailure: ChatNotice?
            var drained = false
            var changed = false
            let now = ContinuousClock.now
            for event in batch {
                switch event {
                case .ping(let text):
                    // IRC-P1: answer at once, before waiting for the consumer.
                    outbox.yield(.lines([IRCOutgoing.pong(text)]))
                case .pong(let text):
                    liveness.pongReceived(text)
                    drained = drained || text == ConnectionLiveness.closingPingText
                case .welcome:
                    control += state.withLock { $0.welcomed(connection: id, nick: nick, now: now) }
                    liveness.welcomed()
                    changed = true
                    logger.info("Chat connection logged in")
                case .join(let channel, let login) where login.lowercased() == nick:
                    confirmations.append(channel)
                case .roomState(let room):
                    confirmations.append(room.channel)
                case .part(let channel, let login) where login.lowercased() == nick:
                    control += state.withLock { $0.partedByServer(channel, connection: id, now: now) }
                    changed = true
                case .notice(let notice):
                    if notice.isLoginFailure {
                        loginFailure = notice
                    } else if notice.messageID == "msg_channel_suspended" {
                        control += state.withLock { $0.suspended(notice.channel, connection: id, now: now) }
                        changed = true
                        logger.info("Chat channel suspended", metadata: [ChatLogKey.channel: "\(notice.channel)"])
                    }
                case .reconnect:
                    if state.withLock({ $0.reconnectRequested(connection: id, now: now) }) {
                        reconnectsCounter.increment()
                        logger.info("Chat connection got RECONNECT")
                    }
                    changed = true
                default:
                    break
                }
            }
            if !confirmations.isEmpty {
                control += state.withLock { $0.confirmed(confirmations, connection: id) }
                changed = true
            }
            if changed { wake.signal() }
            liveness.setDelivering(true)
            await events.send(.messages(batch))
            for event in control {
                if case .joined(let channel) = event {
                    logger.debug("Chat channel joined", metadata: [ChatLogKey.channel: "\(channel)"])
                }
                await events.send(event)
            }
            liveness.setDelivering(false)
            if drained { liveness.drainedBeforeClose() }
            if let loginFailure {
                // IRC-L5: the server closes the connection after this NOTICE.
                let failure = ChatPoolError(.loginFailed, message: "the server refused the login: \(loginFailure.text)")
                liveness.recordFailure(failure)
                throw failure
            }
        }
    }

    /// Fails the connection when `001` does not come in time (IRC-L4), then sends our own PING every
    /// `pingInterval` and fails it when no sign of life follows within `pongTimeout` (IRC-P2).
    /// Returns only when cancelled.
    private func watchdog(outbox: Outbox, liveness: ConnectionLiveness) async throws -> ChatPoolError {
        guard await liveness.waitWelcomed(until: .now + configuration.loginTimeout) else {
            try Task.checkCancellation()
            throw ChatPoolError(.loginTimedOut, message: "no 001 within \(configuration.loginTimeout.roundedDescription)")
        }
        var sequence = 0
        while true {
            try await Task.sleep(for: configuration.pingInterval)
            sequence += 1
            let text = "tumulte-\(sequence)"
            let framesRead = liveness.framesRead
            outbox.yield(.lines([IRCOutgoing.ping(text)]))
            try await Task.sleep(for: configuration.pongTimeout)
            guard liveness.isAlive(pingText: text, framesReadAtPing: framesRead) else {
                throw ChatPoolError(
                    .keepaliveTimedOut,
                    message: "no PONG within \(configuration.pongTimeout.roundedDescription) of our PING"
                )
            }
        }
    }
}
