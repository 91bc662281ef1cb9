import Logging
import NIOCore
import NIOWebSocket

/// The server side of one IRC-over-WebSocket connection, run on the connection's event loop.
///
/// It reads client text frames, answers login, capability, JOIN/PART and PING commands as Twitch
/// does, and writes every line batch as few text frames as the frame bound allows (IRC-T2). Shared
/// state (membership, replay rings, logs) lives in the simulator behind a mutex that is held only
/// for short, non-blocking updates.
final class IRCConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Reads aggregated WebSocket frames.
    typealias InboundIn = WebSocketFrame
    /// Writes WebSocket frames.
    typealias OutboundOut = WebSocketFrame

    /// Where the connection is in the login sequence (IRC-L1–L5).
    private enum Phase {
        /// Before NICK; holds the PASS given so far.
        case awaitingNick(pass: String?)
        /// Logged in as `nick`.
        case registered(nick: String)
        /// Closing: input is ignored.
        case closing
    }

    /// Connection id.
    let id: Int
    /// The simulator owning the shared state.
    private let simulator: IRCSimulator
    /// Logger with the connection id attached.
    private var logger: Logger
    /// The context, between handlerAdded and handlerRemoved.
    private var context: ChannelHandlerContext?
    /// Login sequence state.
    private var phase = Phase.awaitingNick(pass: nil)
    /// Acknowledged `twitch.tv/tags`.
    private var wantsTags = false
    /// Acknowledged `twitch.tv/commands`.
    private var wantsCommands = false
    /// Replies produced while reading, flushed at the end of the read.
    private var pending: FramePacker
    /// Whether a server PING is unanswered.
    private var awaitingPong = false
    /// Disconnects when a PING stays unanswered (IRC-P1).
    private var pongDeadline: Scheduled<Void>?
    /// The next automatic PING.
    private var nextPing: Scheduled<Void>?
    /// The close after a RECONNECT (IRC-R1).
    private var reconnectClose: Scheduled<Void>?
    /// Hard close if the close frame cannot be written in time (a client that stopped reading).
    private var closeFallback: Scheduled<Void>?

    /// Creates the handler.
    /// - Parameters:
    ///   - id: Connection id.
    ///   - simulator: The owning simulator.
    ///   - logger: Logger.
    init(id: Int, simulator: IRCSimulator, logger: Logger) {
        self.id = id
        self.simulator = simulator
        self.logger = logger
        self.logger[metadataKey: "simulator.connection_id"] = "\(id)"
        self.pending = FramePacker(limit: simulator.options.maxFramePayload, includeTags: false, includeCommands: false)
    }

    // MARK: Channel events

    /// Keeps the context and registers the handler with the simulator.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        simulator.attach(connection: id, handler: NIOLoopBound(self, eventLoop: context.eventLoop))
        logger.debug("IRC simulator connection upgraded")
    }

    /// Drops the context and timers.
    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        cancelCloseFallback()
        self.context = nil
    }

    /// Stops timers; the simulator forgets the connection through its close future.
    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        cancelCloseFallback()
        phase = .closing
        logger.debug("IRC simulator connection closed")
        context.fireChannelInactive()
    }

    /// Handles text frames line by line, answers close and ping frames.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            if case .closing = phase { return }
            var payload = frame.unmaskedData
            let text = payload.readString(length: payload.readableBytes) ?? ""
            for line in ClientLine.lines(in: text) {
                if case .closing = phase { break }
                handle(line)
            }
        case .connectionClose:
            guard !isClosing else {
                context.close(promise: nil)
                return
            }
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode() ?? .normalClosure
            closeWithFrame(code: code)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        default:
            break
        }
    }

    /// Flushes the replies of everything read (several lines per frame, IRC-T2).
    func channelReadComplete(context: ChannelHandlerContext) {
        flushPending()
        context.fireChannelReadComplete()
    }

    /// Closes the connection on any error.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("IRC simulator connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Client commands

    /// Handles one client line.
    private func handle(_ raw: Substring) {
        guard let line = ClientLine(raw) else { return }
        simulator.received(command: line.command, connection: id)
        switch line.command {
        case "CAP": handleCapability(line)
        case "PASS": handlePass(line)
        case "NICK": handleNick(line)
        case "JOIN": handleJoin(line)
        case "PART": handlePart(line)
        case "PING":
            // IRC-P2: `PING :x` → `:tmi.twitch.tv PONG tmi.twitch.tv :x`; a bare PING echoes the server name.
            queue(TwitchLines.pong(line.params.last.map(String.init) ?? TwitchLines.server))
        case "PONG": handlePong()
        case "PRIVMSG": handlePrivmsg(line)
        case "QUIT": closeWithFrame(code: .normalClosure)
        default:
            if case .registered(let nick) = phase {
                queue(TwitchLines.unknownCommand(nick: nick, command: line.command))
            }
        }
    }

    /// `CAP REQ`: ACK when every capability is known, else NAK the whole request (IRC-C1, IRC-C2).
    private func handleCapability(_ line: ClientLine) {
        guard let subcommand = line.params.first?.uppercased() else { return }
        switch subcommand {
        case "REQ":
            let requested = line.params.dropFirst().last.map(String.init) ?? ""
            let names = requested.split(separator: " ").map(String.init)
            guard !names.isEmpty, names.allSatisfy(Capability.all.contains) else {
                queue(TwitchLines.capNak(requested))
                return
            }
            wantsTags = wantsTags || names.contains(Capability.tags)
            wantsCommands = wantsCommands || names.contains(Capability.commands)
            pending.includeTags = wantsTags
            pending.includeCommands = wantsCommands
            simulator.acknowledged(capabilities: names, connection: id)
            queue(TwitchLines.capAck(requested))
        case "LS":
            queue(TwitchLines.capList(Capability.all))
        default:
            break
        }
    }

    /// `PASS`: kept until NICK; ignored once logged in.
    private func handlePass(_ line: ClientLine) {
        guard case .awaitingNick = phase else { return }
        phase = .awaitingNick(pass: line.params.first.map(String.init) ?? "")
    }

    /// `NICK`: completes the login (IRC-L1, IRC-L3, IRC-L4, IRC-L5).
    private func handleNick(_ line: ClientLine) {
        guard case .awaitingNick(let pass) = phase else { return }
        let nick = TwitchLines.channelName(line.params.first ?? "")
        let anonymous = IRCConnectionHandler.isAnonymous(nick)
        if !anonymous {
            guard let pass else {
                // IRC-L1: NICK before PASS is the wrong order.
                failLogin("Improperly formatted auth")
                return
            }
            guard pass.hasPrefix("oauth:") else {
                failLogin("Improperly formatted auth")
                return
            }
            let token = String(pass.dropFirst("oauth:".count))
            guard !token.isEmpty, !simulator.options.rejectedTokens.contains(token) else {
                failLogin("Login authentication failed")
                return
            }
        }
        phase = .registered(nick: nick)
        simulator.loggedIn(connection: id, login: nick, anonymous: anonymous)
        logger.debug("IRC simulator login", metadata: ["simulator.login": "\(nick)"])
        for welcome in TwitchLines.welcome(nick) { queue(welcome) }
        if !anonymous { queue(TwitchLines.globalUserState(nick)) }
        scheduleAutomaticPing()
    }

    /// `JOIN #a,#b`: replies per channel, silent drop or suspension notice (IRC-J1, IRC-J2), then replay (IRC-T5).
    private func handleJoin(_ line: ClientLine) {
        let channels = (line.params.first ?? "").split(separator: ",").map(TwitchLines.channelName).filter { !$0.isEmpty }
        simulator.recordJoin(connection: id, channels: channels)
        guard case .registered(let nick) = phase else { return }
        for channel in channels {
            if simulator.options.nonexistentChannels.contains(channel) { continue }
            if simulator.options.suspendedChannels.contains(channel) {
                queue(TwitchLines.notice(channel: channel, messageID: "msg_channel_suspended", text: "This channel has been suspended."))
                continue
            }
            let replay = simulator.joined(channel: channel, connection: id)
            for reply in TwitchLines.joinReplies(nick: nick, channel: channel, roomID: simulator.roomID(of: channel)) {
                queue(reply)
            }
            for line in replay { queue(line) }
        }
    }

    /// `PART #a,#b`.
    private func handlePart(_ line: ClientLine) {
        guard case .registered(let nick) = phase else { return }
        for channel in (line.params.first ?? "").split(separator: ",").map(TwitchLines.channelName) where !channel.isEmpty {
            if simulator.parted(channel: channel, connection: id) {
                queue(TwitchLines.part(nick: nick, channel: channel))
            }
        }
    }

    /// `PONG`: the answer to a server PING (IRC-P1).
    private func handlePong() {
        awaitingPong = false
        pongDeadline?.cancel()
        pongDeadline = nil
        simulator.pongReceived(connection: id)
    }

    /// A client `PRIVMSG`: recorded, not echoed, answered with USERSTATE carrying an id (IRC-G10).
    private func handlePrivmsg(_ line: ClientLine) {
        guard line.params.count >= 2 else { return }
        let channel = TwitchLines.channelName(line.params[0])
        var login: String?
        if case .registered(let nick) = phase { login = nick }
        simulator.clientSent(
            IRCSimulator.ClientChatMessage(
                connectionID: id,
                login: login,
                channel: channel,
                text: String(line.params[line.params.count - 1]),
                replyParentMessageID: line.tag("reply-parent-msg-id").map(String.init)
            )
        )
        if let login, !IRCConnectionHandler.isAnonymous(login) {
            queue(TwitchLines.userStateAfterSend(nick: login, channel: channel, messageID: simulator.newMessageID()))
        }
    }

    /// Sends the login failure NOTICE and closes (IRC-L5).
    private func failLogin(_ text: String) {
        logger.debug("IRC simulator login failed", metadata: ["simulator.notice": "\(text)"])
        queue(TwitchLines.loginNotice(text))
        closeWithFrame(code: .policyViolation)
    }

    /// Whether a nick is an anonymous `justinfan<digits>` login (IRC-L3).
    static func isAnonymous(_ nick: String) -> Bool {
        guard nick.hasPrefix("justinfan") else { return false }
        let digits = nick.dropFirst("justinfan".count)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    // MARK: Output

    /// Whether the connection is closing.
    private var isClosing: Bool {
        if case .closing = phase { return true }
        return false
    }

    /// Adds a reply to the batch flushed at the end of the read.
    private func queue(_ line: OutgoingLine) {
        pending.append(line)
    }

    /// Writes the queued replies.
    private func flushPending() {
        guard let context, !pending.isEmpty else { return }
        for payload in pending.take() {
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: payload)), promise: nil)
        }
        context.flush()
    }

    /// Writes prepared text-frame payloads (from the scripting API) and completes `promise` when written.
    func write(payloads: [ByteBuffer], promise: EventLoopPromise<Void>) {
        flushPending()
        guard let context, !isClosing, !payloads.isEmpty else {
            promise.succeed()
            return
        }
        for payload in payloads.dropLast() {
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: payload)), promise: nil)
        }
        let last = WebSocketFrame(fin: true, opcode: .text, data: payloads[payloads.count - 1])
        context.writeAndFlush(wrapOutboundOut(last), promise: promise)
    }

    /// Writes lines subject to this connection's capabilities.
    func write(lines: [OutgoingLine], promise: EventLoopPromise<Void>) {
        var packer = FramePacker(limit: pending.limit, includeTags: wantsTags, includeCommands: wantsCommands)
        for line in lines { packer.append(line) }
        write(payloads: packer.take(), promise: promise)
    }

    /// Sends `PING :tmi.twitch.tv` and, with a PONG timeout, arms the disconnect (IRC-P1).
    func sendServerPing(promise: EventLoopPromise<Void>?) {
        guard let context, !isClosing else {
            promise?.succeed()
            return
        }
        write(lines: [TwitchLines.ping], promise: promise ?? context.eventLoop.makePromise())
        guard !awaitingPong else { return }
        awaitingPong = true
        if let timeout = simulator.options.pongTimeout {
            pongDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
                guard awaitingPong, let context = self.context else { return }
                logger.debug("IRC simulator PONG timeout")
                phase = .closing
                context.close(promise: nil)
            }
        }
    }

    /// Sends `RECONNECT` and closes the connection after the configured delay (IRC-R1).
    func sendReconnect(promise: EventLoopPromise<Void>) {
        guard let context, !isClosing, reconnectClose == nil else {
            promise.succeed()
            return
        }
        write(lines: [TwitchLines.reconnect], promise: promise)
        reconnectClose = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(simulator.options.reconnectCloseDelay)) {
            [self] in
            closeWithFrame(code: .goingAway)
        }
    }

    /// Flushes pending replies, sends a close frame with `code` and closes the channel.
    func closeWithFrame(code: WebSocketErrorCode) {
        guard let context, !isClosing else { return }
        flushPending()
        phase = .closing
        cancelTimers()
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { [self] _ in
            self.context?.close(promise: nil)
        }
        closeFallback = context.eventLoop.assumeIsolated().scheduleTask(in: IRCConnectionHandler.closeGrace) { [self] in
            self.context?.close(promise: nil)
        }
    }

    /// How long a close frame may take to be written before the socket is closed anyway.
    static let closeGrace = TimeAmount.seconds(1)

    /// Schedules the next automatic PING when `pingInterval` is set.
    private func scheduleAutomaticPing() {
        guard let interval = simulator.options.pingInterval, let context else { return }
        nextPing = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(interval)) { [self] in
            sendServerPing(promise: nil)
            scheduleAutomaticPing()
        }
    }

    /// Cancels every scheduled task.
    private func cancelTimers() {
        pongDeadline?.cancel()
        pongDeadline = nil
        nextPing?.cancel()
        nextPing = nil
        reconnectClose?.cancel()
        reconnectClose = nil
    }

    /// Cancels the close fallback once the channel is gone.
    private func cancelCloseFallback() {
        closeFallback?.cancel()
        closeFallback = nil
    }
}
