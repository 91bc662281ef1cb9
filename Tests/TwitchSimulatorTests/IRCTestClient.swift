import ChatBridge
import Logging
import NIOCore
import TwitchSimulator
import WSClient

/// A logger that drops everything (tests never bootstrap logging).
let testLogger = Logger(label: "tumulte.tests.twitch-simulator") { _ in SwiftLogNoOpLogHandler() }

/// A failure of the test client itself (stream ended early, unexpected line).
struct IRCTestClientError: Error, CustomStringConvertible {
    /// What happened.
    let description: String
}

/// One IRC-over-WebSocket client connection, used inside `WebSocketClient.connect`'s handler.
///
/// Lines are split with ChatBridge's `IRCFrameSplitter` and parsed with `IRCMessage`, so everything
/// the simulator sends is proven to round-trip through the real parser.
final class IRCTestClient {
    /// Where frames are written.
    private let outbound: WebSocketOutboundWriter
    /// Reassembled inbound messages.
    private var frames: WebSocketInboundMessageStream.AsyncIterator
    /// Splits frames into lines (IRC-T2).
    private var splitter = IRCFrameSplitter()
    /// Lines of the last frame not handed out yet.
    private var queue: [Substring] = []
    /// Next index in `queue`.
    private var queueIndex = 0
    /// Text frames received.
    private(set) var framesReceived = 0
    /// Lines received.
    private(set) var linesReceived = 0

    /// Wraps a connection.
    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
        self.frames = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
    }

    /// Sends the lines in one text frame, CRLF-terminated (IRC-T2, IRC-T4).
    func send(_ lines: String...) async throws {
        try await outbound.write(.text(IRCOutgoing.frame(lines)))
    }

    /// The next line as text, nil once the server closed the connection.
    func nextLine() async throws -> String? {
        while queueIndex >= queue.count {
            guard let message = try await frames.next() else { return nil }
            guard case .text(let text) = message else { continue }
            framesReceived += 1
            queue = splitter.lines(in: text)
            queueIndex = 0
        }
        defer { queueIndex += 1 }
        linesReceived += 1
        return String(queue[queueIndex])
    }

    /// The next line parsed; throws when the connection ended.
    func nextMessage() async throws -> IRCMessage {
        guard let line = try await nextLine() else { throw IRCTestClientError(description: "connection ended") }
        return try IRCMessage(parsing: line)
    }

    /// Skips lines until one with `command`, and returns it.
    func next(_ command: String) async throws -> IRCMessage {
        while true {
            let message = try await nextMessage()
            if message.command == command { return message }
        }
    }

    /// Whether the server closes the connection before sending anything else.
    func endsWithoutMoreLines() async throws -> Bool {
        try await nextLine() == nil
    }

    /// Sends `PING :<marker>` and returns every line received before the matching PONG (IRC-P2).
    ///
    /// Replies are in order, so this proves that nothing was sent for earlier commands.
    func sync(_ marker: String = SimulatedMessage.newID()) async throws -> [IRCMessage] {
        try await send(IRCOutgoing.ping(marker))
        var before: [IRCMessage] = []
        while true {
            let message = try await nextMessage()
            if message.command == "PONG" && message.trailing == Substring(marker) { return before }
            before.append(message)
        }
    }

    /// Logs in (CAP REQ, PASS, NICK in one frame) and returns the lines up to the end of the burst.
    ///
    /// The burst ends with GLOBALUSERSTATE for accounts and with 376 for anonymous logins (IRC-L4).
    @discardableResult
    func logIn(nick: String = "tumultebot", token: String? = "s3cr3t", capabilities: Bool = true) async throws -> [IRCMessage] {
        var lines: [String] = []
        if capabilities { lines.append(IRCOutgoing.capabilityRequest()) }
        if let token { lines.append(IRCOutgoing.pass(token: token)) }
        lines.append(IRCOutgoing.nick(nick))
        try await outbound.write(.text(IRCOutgoing.frame(lines)))
        let last = (token == nil || !capabilities) ? "376" : "GLOBALUSERSTATE"
        var burst: [IRCMessage] = []
        while true {
            let message = try await nextMessage()
            burst.append(message)
            if message.command == last { return burst }
        }
    }

    /// Joins channels and reads each one's replies up to its ROOMSTATE (IRC-J1).
    func join(_ channels: String...) async throws {
        guard let line = IRCOutgoing.join(channels) else { return }
        try await send(line)
        for _ in channels { _ = try await next("ROOMSTATE") }
    }

    /// Reads `count` chat messages, skipping other lines.
    func privmsgs(_ count: Int) async throws -> [ChatMessage] {
        var messages: [ChatMessage] = []
        messages.reserveCapacity(count)
        while messages.count < count {
            let message = try await next("PRIVMSG")
            guard let chat = ChatMessage(message) else { throw IRCTestClientError(description: "bad PRIVMSG \(message)") }
            messages.append(chat)
        }
        return messages
    }
}

/// Connects a test client to the simulator and runs `body` on it; returns the server's close frame, if any.
@discardableResult
func withIRCClient(
    _ simulator: IRCSimulator,
    _ body: @escaping @Sendable (IRCTestClient) async throws -> Void
) async throws -> WebSocketCloseFrame? {
    try await WebSocketClient.connect(url: simulator.url, logger: testLogger) { inbound, outbound, _ in
        try await body(IRCTestClient(inbound: inbound, outbound: outbound))
    }
}

/// Runs a simulator for the duration of `body`, then cancels it and waits for `run()` to return.
@discardableResult
func withSimulator<Result: Sendable>(
    _ options: IRCSimulator.Options = .init(),
    _ body: (IRCSimulator) async throws -> Result
) async throws -> Result {
    let simulator = IRCSimulator(options: options, logger: testLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await simulator.run() }
        _ = await simulator.boundPort()
        do {
            let result = try await body(simulator)
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// A message with fixed id and timestamp so lines can be compared byte for byte.
func fixedMessage(_ index: Int, text: String = "!vote 1") -> SimulatedMessage {
    SimulatedMessage(
        userID: String(1_000_000 + index),
        login: "viewer\(index)",
        text: text,
        id: "00000000-0000-4000-8000-\(String(index).leftPadded(to: 12))",
        sentAtMilliseconds: 1_700_000_000_000 + Int64(index)
    )
}

extension String {
    /// The string left-padded with zeros to `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// The name of a close frame's code, e.g. `goingAway` (the test target does not import NIOWebSocket).
func closeCodeName(_ frame: WebSocketCloseFrame?) -> String? {
    frame.map { "\($0.closeCode)" }
}
