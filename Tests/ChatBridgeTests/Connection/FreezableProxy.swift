import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP relay on the loopback in front of a server whose existing connections can be frozen: bytes are
/// then swallowed in both directions, like a dead network path where TCP still looks open (IRC-P2).
///
/// It uses blocking sockets on its own threads (never on Swift concurrency's pool); `stop()` shuts every
/// socket down, and each socket is closed once by the thread that last uses it.
final class FreezableProxy: Sendable {
    /// One relayed connection.
    private struct Pair {
        /// The client-side socket.
        let client: Int32
        /// The server-side socket.
        let server: Int32
        /// Pump threads still running.
        var running = 2
        /// Whether bytes are swallowed.
        var frozen = false
    }

    /// Relayed connections and whether the proxy stopped.
    private struct State {
        /// Live pairs by id.
        var pairs: [Int: Pair] = [:]
        /// The next pair id.
        var nextID = 0
        /// `stop()` was called.
        var stopped = false
    }

    /// The port the proxy listens on.
    let port: Int
    /// The server's port.
    private let upstreamPort: Int
    /// The listening socket.
    private let listener: Int32
    /// The shared state, held only for short updates.
    private let state = Mutex(State())

    /// Starts listening on 127.0.0.1 (ephemeral port) and relaying to `127.0.0.1:upstreamPort`.
    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, FreezableProxy.streamType, 0)
        guard listener >= 0 else { throw PoolTestError(description: "proxy: socket() failed") }
        var address = FreezableProxy.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw PoolTestError(description: "proxy: bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// `ws://127.0.0.1:<port>`.
    var url: String { "ws://127.0.0.1:\(port)" }

    /// Freezes every connection relayed so far; later connections are relayed normally.
    func freezeExistingConnections() {
        state.withLock { state in
            for id in state.pairs.keys { state.pairs[id]?.frozen = true }
        }
    }

    /// Stops accepting and shuts every relayed connection down.
    func stop() {
        let sockets = state.withLock { state -> [Int32] in
            state.stopped = true
            return state.pairs.values.flatMap { [$0.client, $0.server] }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Accepts clients until stopped, connecting each to the server and starting two pumps.
    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let server = socket(AF_INET, FreezableProxy.streamType, 0)
            var address = FreezableProxy.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let id: Int? = state.withLock { state in
                guard !state.stopped, server >= 0, connected == 0 else { return nil }
                defer { state.nextID += 1 }
                state.pairs[state.nextID] = Pair(client: client, server: server)
                return state.nextID
            }
            guard let id else {
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            Thread { [self] in pump(pair: id, from: client, to: server) }.start()
            Thread { [self] in pump(pair: id, from: server, to: client) }.start()
        }
        close(listener)
    }

    /// Copies bytes from one socket to the other (or swallows them when frozen) until either side ends.
    private func pump(pair id: Int, from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            if state.withLock({ $0.pairs[id]?.frozen ?? true }) { continue }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break loop }
                offset += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        let finished = state.withLock { state -> Pair? in
            state.pairs[id]?.running -= 1
            guard let pair = state.pairs[id], pair.running == 0 else { return nil }
            state.pairs[id] = nil
            return pair
        }
        if let finished {
            close(finished.client)
            close(finished.server)
        }
    }

    /// `SOCK_STREAM` as the `Int32` that `socket()` takes.
    private static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    /// `127.0.0.1:<port>` as a socket address.
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
