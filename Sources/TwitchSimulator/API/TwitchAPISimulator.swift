import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A local stand-in for `https://id.twitch.tv/oauth2` and `https://api.twitch.tv/helix` over plain HTTP: OAuth
/// (authorize redirect, code exchange, refresh with rotation, validate, revoke) and Helix users, with Twitch's
/// status codes, error bodies and `Ratelimit-*` headers. Point `TWITCH_AUTH_URL` at ``authURL`` and
/// `TWITCH_API_URL` at ``helixURL``. Run it as a `Service`.
public final class TwitchAPISimulator: Service, Sendable {
    /// The host the listening socket binds to.
    public let host: String
    private let requestedPort: Int
    private let logger: Logger
    private let state: Mutex<APISimulatorState>
    /// The EventSub listener's port, once bound.
    private let eventSubPort = Mutex(0)
    /// Set when the simulator shuts down.
    private let stopped = Mutex(false)
    /// The open EventSub sockets.
    let registry = Mutex(SocketRegistry())
    /// The bound port, or the tasks waiting for it.
    private let port = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    /// The application's client secret (the simulator's own, for a daemon it starts).
    public let clientSecret: String

    /// Creates a simulator for one application; nothing listens until `run()`.
    public init(host: String = "127.0.0.1", port: Int = 0, clientID: String, clientSecret: String, logger: Logger) {
        self.clientSecret = clientSecret
        self.host = host
        self.requestedPort = port
        self.logger = logger
        self.state = Mutex(APISimulatorState(clientID: clientID, clientSecret: clientSecret))
    }

    /// Binds both listeners (HTTP for OAuth and Helix, WebSocket for EventSub) and serves until cancelled or
    /// gracefully shut down.
    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        let sockets: NIOAsyncChannel<EventLoopFuture<EventSubSocketServer.Upgrade>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: self.host, port: self.requestedPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    }
                }
            sockets = try await EventSubSocketServer.bind(host: self.host, port: 0)
        } catch {
            self.publish(port: 0)
            throw error
        }
        self.eventSubPort.withLock { $0 = sockets.channel.localAddress?.port ?? 0 }
        let port = server.channel.localAddress?.port ?? 0
        self.publish(port: port)
        self.logger.info(
            "Twitch API simulator listening",
            metadata: ["simulator.url": "\(self.baseURL)", "simulator.eventsub_url": "\(self.eventSubURL)"]
        )
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    try await sockets.executeThenClose { upgrades in
                        try await withThrowingDiscardingTaskGroup { connections in
                            for try await upgrade in upgrades {
                                connections.addTask { await self.accept(upgrade) }
                            }
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled, !self.stopped.withLock({ $0 }) {
                        self.mutate { state, now in
                            state.completeDuePolls(now: now)
                            state.sessionTicks(now: now)
                        }
                        self.closeOverdueReconnects()
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                try await server.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { inner in
                        for try await connection in connections {
                            inner.addTask { await self.serve(connection) }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.stop(server: server.channel, sockets: sockets.channel)
        }
    }

    /// Stops accepting, closes every EventSub socket and ends the ticker.
    private func stop(server: any Channel, sockets: any Channel) {
        self.stopped.withLock { $0 = true }
        server.close(promise: nil)
        sockets.close(promise: nil)
        let open = self.registry.withLock { registry in
            defer { registry.sockets = [:] }
            return Array(registry.sockets.values)
        }
        for socket in open {
            socket.yield(.close(1001))
            socket.finish()
        }
    }

    /// `ws://host:port/ws`: the value for `TWITCH_EVENTSUB_URL`.
    public var eventSubURL: String {
        let port = self.eventSubPort.withLock { $0 }
        return self.host.contains(":") ? "ws://[\(self.host)]:\(port)/ws" : "ws://\(self.host):\(port)/ws"
    }

    /// Runs `body` under the state's lock (no socket writes).
    func stateLock<T>(_ body: (inout APISimulatorState) -> T) -> T {
        self.state.withLock { body(&$0) }
    }

    /// Records the bound port (0: the bind failed) and wakes those waiting for it.
    private func publish(port: Int) {
        let waiters = self.port.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The bound port, once listening (0 if the bind failed).
    public func boundPort() async -> Int {
        await withCheckedContinuation { continuation in
            let port: Int? = self.port.withLock { state in
                if state.port == nil { state.waiters.append(continuation) }
                return state.port
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    /// `http://host:port`.
    public var baseURL: String {
        let port = self.port.withLock { $0.port } ?? self.requestedPort
        return self.host.contains(":") ? "http://[\(self.host)]:\(port)" : "http://\(self.host):\(port)"
    }

    /// The value for `TWITCH_AUTH_URL`.
    public var authURL: String { self.baseURL + "/oauth2" }
    /// The value for `TWITCH_API_URL`.
    public var helixURL: String { self.baseURL + "/helix" }

    // MARK: Scripting

    /// Creates a Twitch account and returns its user id (the id the IRC simulator gives the same login).
    @discardableResult
    public func addUser(login: String, displayName: String? = nil, broadcasterType: String = "") -> String {
        let id = TwitchLines.stableID(login)
        let user = APISimulatorState.User(
            id: id,
            login: login.lowercased(),
            displayName: displayName ?? login,
            broadcasterType: broadcasterType
        )
        self.state.withLock { state in
            state.users.removeAll { $0.id == id }
            state.users.append(user)
        }
        return id
    }

    /// The user id of `login`, if the simulator knows the account.
    public func userID(of login: String) -> String? {
        self.state.withLock { $0.user(login: login)?.id }
    }

    /// Issues tokens to `login` as a completed authorization would, without the browser round trip.
    /// - Returns: The access token, the refresh token and the access token's lifetime in seconds.
    public func issueTokens(to login: String, scopes: [String]) -> (accessToken: String, refreshToken: String, expiresIn: Int)? {
        self.state.withLock { state in
            guard let user = state.user(login: login) else { return nil }
            let response = state.issueTokens(userID: user.id, scopes: scopes, now: Date())
            return (response.access, response.refresh, Int(state.tokenLifetime))
        }
    }

    /// Makes `login` the account that consents at the next authorization.
    public func authorizeNext(as login: String) {
        self.state.withLock { $0.nextAuthorizer = login }
    }

    /// Makes the next authorization end with `error=access_denied`, as when the user clicks Cancel.
    public func denyNextAuthorization() {
        self.state.withLock { $0.denyNext = true }
    }

    /// Ends every access token of `login` now, as expiry does (refresh tokens keep working).
    public func expireAccessTokens(of login: String) {
        self.state.withLock { state in
            guard let user = state.user(login: login) else { return }
            for (value, token) in state.accessTokens where token.userID == user.id {
                state.accessTokens[value]?.expiresAt = .distantPast
            }
        }
    }

    /// Revokes every refresh token of `login`, as disconnecting the app on twitch.tv does.
    public func revokeRefreshTokens(of login: String) {
        self.state.withLock { state in
            guard let user = state.user(login: login) else { return }
            state.refreshTokens = state.refreshTokens.filter { $0.value.userID != user.id }
        }
    }

    /// Makes the next Helix requests (to `path` only, when given, e.g. `/helix/polls`) fail with these statuses,
    /// in order (429 with an empty bucket, 503 …).
    public func failNextHelixRequests(with statuses: [Int], path: String? = nil) {
        self.state.withLock { $0.scriptedFailures += statuses.map { ($0, path) } }
    }

    /// Every access and refresh token ever issued to `login` (for checking that none is stored in clear).
    public func issuedTokens(of login: String) -> [String] {
        self.state.withLock { state in
            guard let user = state.user(login: login) else { return [] }
            return state.issued.filter { $0.userID == user.id }.map(\.token)
        }
    }

    /// Every request served so far, as `METHOD /path`.
    public var requests: [String] { self.state.withLock { $0.log } }

    /// Whether `token` is a live access token.
    public func isLive(accessToken token: String) -> Bool {
        self.state.withLock { state in state.accessTokens[token].map { $0.expiresAt > Date() } ?? false }
    }

    // MARK: Serving

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let value):
                    head = value
                    body = []
                case .body(var buffer):
                    guard body.count + buffer.readableBytes <= 1 << 20 else { return }
                    body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    guard let request = head else { return }
                    let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
                    let exchange = APIRequest(method: request.method.rawValue, uri: request.uri, headers: headers, body: body)
                    let response = self.mutate { state, now in state.handle(exchange, now: now) }
                    var responseHeaders = HTTPHeaders(response.headers)
                    responseHeaders.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
                    try await outbound.write(
                        .head(HTTPResponseHead(version: request.version, status: .init(statusCode: response.status), headers: responseHeaders))
                    )
                    if !response.body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body)))) }
                    try await outbound.write(.end(nil))
                    if !request.isKeepAlive { return }
                }
            }
        }
    }
}
