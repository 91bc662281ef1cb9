import NIOCore
import Synchronization

extension IRCSimulator {
    // MARK: Chat

    /// Delivers one chat message as a `PRIVMSG` to every connection joined to `channel` (IRC-G7).
    ///
    /// Returns once the line is written to each recipient's socket. Every scripting method awaits its
    /// writes like this (backpressure), so keep reading on the client side while it runs.
    /// - Parameters:
    ///   - message: The message.
    ///   - channel: Channel login, with or without `#`.
    public func privmsg(_ message: SimulatedMessage, in channel: String) async {
        await privmsgs([(channel: channel, message: message)])
    }

    /// Delivers many chat messages, packing many lines per frame for throughput (IRC-T2).
    ///
    /// Each message also enters its channel's replay ring (IRC-T5) and, with `repeatProbability`, may
    /// be delivered twice with the same id. Per connection, lines arrive in the order given.
    /// - Parameter messages: Pairs of channel login and message.
    public func privmsgs(_ messages: [(channel: String, message: SimulatedMessage)]) async {
        guard !messages.isEmpty else { return }
        var channels: [String: (name: String, roomID: String)] = [:]
        let lines: [(channel: String, line: OutgoingLine)] = messages.map { channel, message in
            let target: (name: String, roomID: String)
            if let known = channels[channel] {
                target = known
            } else {
                let name = TwitchLines.channelName(channel)
                target = (name, roomID(of: name))
                channels[channel] = target
            }
            return (target.name, message.line(channel: target.name, roomID: target.roomID))
        }
        let window = options.replayWindow
        let probability = options.repeatProbability
        let plan: [(Recipient, [Int])] = state.withLock { state in
            var recipientsByChannel: [String: [Recipient]] = [:]
            var order: [Int] = []
            var plan: [Int: (Recipient, [Int])] = [:]
            for (index, item) in lines.enumerated() {
                if window > 0 {
                    state.replay[item.channel, default: ReplayBuffer(capacity: window)].append(item.line)
                }
                let copies = probability > 0 && state.random.nextUnit() < probability ? 2 : 1
                let recipients: [Recipient]
                if let cached = recipientsByChannel[item.channel] {
                    recipients = cached
                } else {
                    recipients = state.recipients(in: item.channel)
                    recipientsByChannel[item.channel] = recipients
                }
                for recipient in recipients {
                    if plan[recipient.id] == nil {
                        plan[recipient.id] = (recipient, [])
                        order.append(recipient.id)
                    }
                    for _ in 0..<copies { plan[recipient.id]!.1.append(index) }
                }
            }
            return order.map { plan[$0]! }
        }
        await withDiscardingTaskGroup { group in
            for (recipient, indices) in plan {
                group.addTask {
                    var packer = FramePacker(
                        limit: self.options.maxFramePayload,
                        includeTags: recipient.wantsTags,
                        includeCommands: recipient.wantsCommands
                    )
                    for index in indices { packer.append(lines[index].line) }
                    await self.write(payloads: packer.take(), to: recipient)
                }
            }
        }
    }

    /// Sends a line verbatim to every connection joined to `channel`; a missing CRLF is added and
    /// embedded CRLFs are kept, so one call can send several lines (IRC-T2).
    /// - Parameters:
    ///   - line: The raw line(s).
    ///   - channel: Channel login.
    public func sendRaw(_ line: String, to channel: String) async {
        let name = TwitchLines.channelName(channel)
        let recipients = state.withLock { $0.recipients(in: name) }
        await deliver([OutgoingLine(raw: line)], to: recipients)
    }

    /// Sends a line verbatim to every connection.
    /// - Parameter line: The raw line(s).
    public func sendRaw(toAll line: String) async {
        let recipients = state.withLock { $0.recipients(connection: nil) }
        await deliver([OutgoingLine(raw: line)], to: recipients)
    }

    /// Sends a line verbatim to one connection.
    /// - Parameters:
    ///   - line: The raw line(s).
    ///   - connectionID: Target connection.
    public func sendRaw(_ line: String, toConnection connectionID: Int) async {
        let recipients = state.withLock { $0.recipients(connection: connectionID) }
        await deliver([OutgoingLine(raw: line)], to: recipients)
    }

    /// Sends exactly `payload` as one text frame, nothing added (for framing tests: partial lines, bare LF, IRC-T3).
    /// - Parameters:
    ///   - payload: The frame's text.
    ///   - connectionID: Target connection, nil for all.
    public func sendFrame(_ payload: String, toConnection connectionID: Int? = nil) async {
        let recipients = state.withLock { $0.recipients(connection: connectionID) }
        let buffer = ByteBuffer(string: payload)
        await withDiscardingTaskGroup { group in
            for recipient in recipients {
                group.addTask { await self.write(payloads: [buffer], to: recipient) }
            }
        }
    }

    // MARK: Moderation

    /// Deletes one message: `CLEARMSG` to the channel's connections (IRC-G12).
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - targetMessageID: Id of the deleted message.
    ///   - login: Its author's login.
    ///   - text: Its text (trailing parameter).
    public func clearMessage(channel: String, targetMessageID: String, login: String, text: String = "") async {
        let name = TwitchLines.channelName(channel)
        let line = TwitchLines.clearMessage(
            channel: name,
            targetMessageID: targetMessageID,
            login: login,
            text: text,
            sentAt: SimulatedMessage.nowMilliseconds()
        )
        let recipients = state.withLock { $0.recipients(in: name) }
        await deliver([line], to: recipients)
    }

    /// Bans or times out a user, or clears the whole chat: `CLEARCHAT` (IRC-G12).
    /// - Parameters:
    ///   - channel: Channel login.
    ///   - userID: Target user id; nil clears the whole chat.
    ///   - login: Target login (the trailing parameter); defaults to the user id.
    ///   - durationSeconds: Timeout length (`ban-duration`); nil is a permanent ban.
    public func clearChat(channel: String, userID: String? = nil, login: String? = nil, durationSeconds: Int? = nil) async {
        let name = TwitchLines.channelName(channel)
        let line = TwitchLines.clearChat(
            channel: name,
            roomID: roomID(of: name),
            target: userID.map { (userID: $0, login: login ?? $0) },
            durationSeconds: durationSeconds,
            sentAt: SimulatedMessage.nowMilliseconds()
        )
        let recipients = state.withLock { $0.recipients(in: name) }
        await deliver([line], to: recipients)
    }

    // MARK: Connection control

    /// Sends `:tmi.twitch.tv RECONNECT`; the server closes the connection `options.reconnectCloseDelay`
    /// later with a `1001` close frame (IRC-R1).
    /// - Parameter connectionID: Target connection, nil for all.
    public func sendReconnect(to connectionID: Int? = nil) async {
        let recipients = state.withLock { $0.recipients(connection: connectionID) }
        await withDiscardingTaskGroup { group in
            for recipient in recipients {
                group.addTask {
                    let promise = recipient.eventLoop.makePromise(of: Void.self)
                    let handler = recipient.handler
                    recipient.eventLoop.execute { handler.value.sendReconnect(promise: promise) }
                    try? await promise.futureResult.get()
                }
            }
        }
    }

    /// Sends `PING :tmi.twitch.tv`; a connection that does not answer within `options.pongTimeout` is
    /// closed (IRC-P1). Answers are counted in `ConnectionInfo.pongsReceived`.
    /// - Parameter connectionID: Target connection, nil for all.
    public func sendPing(to connectionID: Int? = nil) async {
        let recipients = state.withLock { $0.recipients(connection: connectionID) }
        await withDiscardingTaskGroup { group in
            for recipient in recipients {
                group.addTask {
                    let promise = recipient.eventLoop.makePromise(of: Void.self)
                    let handler = recipient.handler
                    recipient.eventLoop.execute { handler.value.sendServerPing(promise: promise) }
                    try? await promise.futureResult.get()
                }
            }
        }
    }

    /// Cuts connections like a network failure: the socket is closed without a WebSocket close frame.
    /// Returns once they are closed and forgotten.
    /// - Parameter connectionIDs: Connections to drop, nil for all.
    public func dropConnections(_ connectionIDs: Set<Int>? = nil) async {
        let channels = state.withLock { state in
            state.connections.values.filter { connectionIDs?.contains($0.id) ?? true }.map(\.channel)
        }
        for channel in channels { channel.close(mode: .all, promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }

    // MARK: Delivery

    /// Packs `lines` per recipient (respecting its capabilities) and writes them.
    private func deliver(_ lines: [OutgoingLine], to recipients: [Recipient]) async {
        await withDiscardingTaskGroup { group in
            for recipient in recipients {
                group.addTask {
                    var packer = FramePacker(
                        limit: self.options.maxFramePayload,
                        includeTags: recipient.wantsTags,
                        includeCommands: recipient.wantsCommands
                    )
                    for line in lines { packer.append(line) }
                    await self.write(payloads: packer.take(), to: recipient)
                }
            }
        }
    }

    /// Hands frame payloads to a connection's loop and waits until they are written (or the connection is gone).
    private func write(payloads: [ByteBuffer], to recipient: Recipient) async {
        guard !payloads.isEmpty else { return }
        let promise = recipient.eventLoop.makePromise(of: Void.self)
        let handler = recipient.handler
        recipient.eventLoop.execute { handler.value.write(payloads: payloads, promise: promise) }
        try? await promise.futureResult.get()
    }
}
