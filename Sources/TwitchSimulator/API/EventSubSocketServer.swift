import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The EventSub WebSocket side of ``TwitchAPISimulator``: accepts sockets on `/ws`, writes what the shared state
/// queues for each session, answers pings, and enforces the client rules (ES-4: any data frame from the client
/// closes with 4001).
enum EventSubSocketServer {
    /// What an accepted connection turned into.
    enum Upgrade {
        /// A WebSocket on `/ws…` with its request URI.
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, uri: String)
        /// Plain HTTP: answered 404 and closed.
        case plain(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    }

    /// What a session's socket is told to do.
    enum Outgoing: Sendable {
        /// Write a text frame.
        case text(String)
        /// Close with a code, or drop the TCP connection without a close frame.
        case close(UInt16?)
    }

    /// Binds the listener.
    static func bind(host: String, port: Int) async throws -> NIOAsyncChannel<EventLoopFuture<Upgrade>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketServerUpgrader<Upgrade>(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, head in
                            channel.eventLoop.makeSucceededFuture(head.uri.hasPrefix("/ws") ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                .websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel), uri: head.uri)
                            }
                        }
                    )
                    let configuration = NIOTypedHTTPServerUpgradeConfiguration(
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                .plain(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                            }
                        }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: configuration)
                    )
                }
            }
    }

    /// Serves one socket: writes what `outgoing` yields, reads the client's frames, and reports the end.
    /// - Parameters:
    ///   - channel: The upgraded socket.
    ///   - outgoing: What to write, until a `.close` or the end of the stream.
    ///   - onDataFrame: Called when the client sends a data frame (the session is closed with 4001 by the caller).
    static func serve(
        _ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>,
        outgoing: AsyncStream<Outgoing>,
        onDataFrame: @escaping @Sendable () -> Void
    ) async {
        try? await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in outgoing {
                        switch item {
                        case .text(let text):
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
                        case .close(let code?):
                            var data = ByteBuffer()
                            data.write(webSocketErrorCode: .init(codeNumber: Int(code)))
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
                            return
                        case .close(nil):
                            return
                        }
                    }
                }
                group.addTask {
                    for try await frame in inbound {
                        switch frame.opcode {
                        case .ping:
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
                        case .connectionClose:
                            return
                        case .text, .binary, .continuation:
                            onDataFrame()
                        default:
                            break
                        }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Answers a plain HTTP request with 404.
    static func refuse(_ channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await channel.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .end = part else { continue }
                let body = "EventSub simulator: connect a WebSocket to /ws\n"
                let headers: HTTPHeaders = ["Content-Length": "\(body.utf8.count)", "Connection": "close"]
                try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers)))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
                try await outbound.write(.end(nil))
                return
            }
        }
    }
}
