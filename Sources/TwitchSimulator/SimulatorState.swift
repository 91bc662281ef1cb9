import NIOCore

/// One accepted connection as the shared state sees it.
struct ConnectionEntry: Sendable {
    /// Connection id.
    let id: Int
    /// The TCP channel (thread-safe; used to close).
    let channel: any Channel
    /// When it was accepted.
    let connectedAt: ContinuousClock.Instant
    /// The protocol handler, set once the WebSocket upgrade completed; only touched on its event loop.
    var handler: NIOLoopBound<IRCConnectionHandler>?
    /// Login after a successful NICK.
    var login: String?
    /// Whether the login was anonymous.
    var isAnonymous = false
    /// Acknowledged capabilities.
    var capabilities: Set<String> = []
    /// Joined channels.
    var joined: Set<String> = []
    /// Lines received.
    var linesReceived = 0
    /// PONGs received.
    var pongsReceived = 0

    /// Whether `twitch.tv/tags` was acknowledged.
    var wantsTags: Bool { capabilities.contains(Capability.tags) }
    /// Whether `twitch.tv/commands` was acknowledged.
    var wantsCommands: Bool { capabilities.contains(Capability.commands) }

    /// The public view.
    var info: IRCSimulator.ConnectionInfo {
        IRCSimulator.ConnectionInfo(
            id: id,
            login: login,
            isAnonymous: isAnonymous,
            capabilities: capabilities,
            joinedChannels: joined,
            connectedAt: connectedAt,
            linesReceived: linesReceived,
            pongsReceived: pongsReceived,
            isWebSocket: handler != nil
        )
    }
}

/// The capabilities Twitch grants (IRC-C1).
enum Capability {
    /// `twitch.tv/tags`.
    static let tags = "twitch.tv/tags"
    /// `twitch.tv/commands`.
    static let commands = "twitch.tv/commands"
    /// `twitch.tv/membership`.
    static let membership = "twitch.tv/membership"
    /// All three, in Twitch's order.
    static let all = [membership, tags, commands]
}

/// Where a connection's frames go: its handler on its event loop, plus how to filter lines for it.
struct Recipient: Sendable {
    /// Connection id.
    let id: Int
    /// Its handler.
    let handler: NIOLoopBound<IRCConnectionHandler>
    /// Its event loop.
    let eventLoop: any EventLoop
    /// Keep tags.
    let wantsTags: Bool
    /// Keep commands-only lines.
    let wantsCommands: Bool

    /// Builds a recipient from an upgraded connection; nil before the upgrade.
    init?(_ entry: ConnectionEntry) {
        guard let handler = entry.handler else { return nil }
        self.id = entry.id
        self.handler = handler
        self.eventLoop = entry.channel.eventLoop
        self.wantsTags = entry.wantsTags
        self.wantsCommands = entry.wantsCommands
    }
}

/// A pending `waitUntil`.
struct Waiter: Sendable {
    /// The condition awaited.
    let condition: @Sendable (IRCSimulator.Snapshot) -> Bool
    /// Resumed once the condition holds, or with an error.
    let continuation: CheckedContinuation<Void, any Error>
}

/// Lifecycle of the listening socket.
enum ServerPhase: Sendable {
    /// `run()` not called yet.
    case idle
    /// Binding.
    case binding
    /// Accepting on this port.
    case running(port: Int)
    /// Stopped (or the bind failed).
    case stopped
}

/// All mutable state shared by connections and the scripting API; lives in one `Mutex`.
struct SimulatorState: Sendable {
    /// Listening socket lifecycle.
    var phase = ServerPhase.idle
    /// Waiters of `boundPort()`.
    var portWaiters: [CheckedContinuation<Int, Never>] = []
    /// Next connection id.
    var nextConnectionID = 1
    /// Live connections.
    var connections: [Int: ConnectionEntry] = [:]
    /// Connection ids per joined channel.
    var members: [String: Set<Int>] = [:]
    /// Replay rings per channel.
    var replay: [String: ReplayBuffer] = [:]
    /// Every JOIN received.
    var joinLog: [IRCSimulator.JoinRecord] = []
    /// Lines received per command.
    var commandCounts: [String: Int] = [:]
    /// PRIVMSGs sent by clients.
    var clientMessages: [IRCSimulator.ClientChatMessage] = []
    /// Generator for duplicate deliveries.
    var random: SplitMix64
    /// Pending waits, by id.
    var waiters: [Int: Waiter] = [:]
    /// Next waiter id.
    var nextWaiterID = 1

    /// Creates the initial state.
    init(seed: UInt64) {
        self.random = SplitMix64(seed: seed)
    }

    /// The public view of the state.
    var snapshot: IRCSimulator.Snapshot {
        IRCSimulator.Snapshot(
            connections: connections.values.map(\.info).sorted { $0.id < $1.id },
            commandCounts: commandCounts,
            joinCommandCount: joinLog.count
        )
    }

    /// Removes and returns the waiters whose condition now holds.
    mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
        guard !waiters.isEmpty else { return [] }
        let view = snapshot
        var ready: [CheckedContinuation<Void, any Error>] = []
        for (id, waiter) in waiters where waiter.condition(view) {
            ready.append(waiter.continuation)
            waiters[id] = nil
        }
        return ready
    }

    /// Recipients joined to `channel`, in id order.
    func recipients(in channel: String) -> [Recipient] {
        guard let ids = members[channel] else { return [] }
        return ids.sorted().compactMap { connections[$0].flatMap(Recipient.init) }
    }

    /// Recipients among all upgraded connections (or only `id`), in id order.
    func recipients(connection id: Int?) -> [Recipient] {
        if let id { return connections[id].flatMap(Recipient.init).map { [$0] } ?? [] }
        return connections.keys.sorted().compactMap { connections[$0].flatMap(Recipient.init) }
    }

    /// Forgets a closed connection.
    mutating func remove(connection id: Int) {
        guard let entry = connections.removeValue(forKey: id) else { return }
        for channel in entry.joined {
            members[channel]?.remove(id)
            if members[channel]?.isEmpty == true { members[channel] = nil }
        }
    }
}
