public import AsyncHTTPClient
import Foundation
public import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP client of the GM API (`/api/v1`): one method per route of the contract, errors as ``GMClientError``.
public struct GMAPIClient: Sendable {
    /// How long one request may take, from connecting to the last byte of the answer.
    public static let requestTimeout: TimeAmount = .seconds(30)
    /// The largest answer read; a poll page of 100 polls is far below it.
    public static let maximumBodySize = 8 << 20

    /// Where the API is and the key to use.
    public let server: GMServer
    private let httpClient: HTTPClient

    /// Creates a client on an existing HTTP client.
    /// - Parameters:
    ///   - server: the API's location and key.
    ///   - httpClient: the HTTP client to send with; the caller shuts it down.
    public init(server: GMServer, httpClient: HTTPClient) {
        self.server = server
        self.httpClient = httpClient
    }

    /// The HTTP client settings: no redirect (the key must not follow one elsewhere), no connection retry (a refused port fails
    /// at once instead of after the timeout), a 10 s connect and 30 s read timeout.
    public static var httpConfiguration: HTTPClient.Configuration {
        var connectionPool = HTTPClient.Configuration.ConnectionPool()
        connectionPool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: Self.requestTimeout),
            connectionPool: connectionPool
        )
    }

    /// Runs `body` with a client on a fresh HTTP client that is shut down afterwards.
    /// - Parameters:
    ///   - server: the API's location and key.
    ///   - isolation: the caller's isolation, kept while `body` runs.
    ///   - body: the work to do with the client.
    public static func withClient<Result>(
        server: GMServer,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (GMAPIClient) async throws -> Result
    ) async throws -> Result {
        try await HTTPClient.withHTTPClient(configuration: Self.httpConfiguration) { httpClient in
            try await body(GMAPIClient(server: server, httpClient: httpClient))
        }
    }

    // MARK: Channels

    /// `POST /api/v1/channels`: registers a channel (201), or returns the existing one (200).
    /// - Parameter login: the Twitch login (case-folded by the daemon).
    public func addChannel(login: String) async throws(GMClientError) -> GMResponse<Channel> {
        struct Body: Encodable { let login: String }
        return try await self.send(.POST, ["channels"], json: Self.encode(Body(login: login)))
    }

    /// `GET /api/v1/channels`: every channel, sorted by login.
    public func listChannels() async throws(GMClientError) -> GMResponse<ChannelList> {
        try await self.send(.GET, ["channels"])
    }

    /// `DELETE /api/v1/channels/{login}`: removes a channel (204).
    /// - Parameter login: the Twitch login.
    public func removeChannel(login: String) async throws(GMClientError) -> GMResponse<NoContent> {
        try await self.send(.DELETE, ["channels", login])
    }

    /// `POST /api/v1/channels/{login}/overlay-token`: gives the channel a new overlay URL; the old one stops working.
    /// - Parameter login: the Twitch login.
    public func rotateOverlay(login: String) async throws(GMClientError) -> GMResponse<Channel> {
        try await self.send(.POST, ["channels", login, "overlay-token"])
    }

    // MARK: Polls

    /// `POST /api/v1/polls`: starts a poll (201; 200 with `Idempotent-Replayed: true` for a replayed key).
    /// - Parameters:
    ///   - draft: the poll to start.
    ///   - idempotencyKey: an `Idempotency-Key` making a retry safe, if any.
    public func startPoll(_ draft: PollDraft, idempotencyKey: String? = nil) async throws(GMClientError) -> GMResponse<Poll> {
        try await self.send(.POST, ["polls"], json: Self.encode(draft), headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
    }

    /// `GET /api/v1/polls/{id}`: a poll with its live or final tally.
    /// - Parameter id: the poll id.
    public func poll(id: String) async throws(GMClientError) -> GMResponse<Poll> {
        try await self.send(.GET, ["polls", id])
    }

    /// `GET /api/v1/polls?status=&limit=&cursor=`: one page of polls, newest first.
    /// - Parameters:
    ///   - status: only polls with this status, if given.
    ///   - limit: the page size (1 to 100), if given.
    ///   - cursor: the `nextCursor` of the previous page, if any.
    public func listPolls(status: String? = nil, limit: Int? = nil, cursor: String? = nil) async throws(GMClientError) -> GMResponse<PollPage> {
        try await self.send(.GET, ["polls"], query: [("status", status), ("limit", limit.map(String.init)), ("cursor", cursor)])
    }

    /// `POST /api/v1/polls/{id}/end`: ends a running poll now, results kept (200, or 202 while finalisation retries).
    /// - Parameter id: the poll id.
    public func endPoll(id: String) async throws(GMClientError) -> GMResponse<Poll> {
        try await self.send(.POST, ["polls", id, "end"])
    }

    /// `POST /api/v1/polls/{id}/cancel`: cancels a running poll (tally kept).
    /// - Parameter id: the poll id.
    public func cancelPoll(id: String) async throws(GMClientError) -> GMResponse<Poll> {
        try await self.send(.POST, ["polls", id, "cancel"])
    }

    // MARK: Sending

    private func send<Value: Decodable & Sendable>(
        _ method: HTTPMethod,
        _ route: [String],
        query: [(String, String?)] = [],
        json: Data? = nil,
        headers: [(String, String)] = []
    ) async throws(GMClientError) -> GMResponse<Value> {
        let url = self.server.url(["api", "v1"] + route, query: query)
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(self.server.apiKey)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tumulte-cli")
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }

        let status: Int
        let responseHeaders: HTTPHeaders
        let body: [UInt8]
        do {
            let response = try await self.httpClient.execute(request, deadline: .now() + Self.requestTimeout)
            status = Int(response.status.code)
            responseHeaders = response.headers
            body = Array(buffer: try await response.body.collect(upTo: Self.maximumBodySize))
        } catch is NIOTooManyBytesError {
            throw GMClientError(.invalidResponse, "the answer from \(url) is larger than \(Self.maximumBodySize >> 20) MiB")
        } catch {
            throw GMClientError(.unreachable, "cannot reach tumulte at \(self.server.baseURL): \(Self.describe(error))")
        }

        guard (200...299).contains(status) else {
            throw Self.rejection(status: status, body: body, headers: responseHeaders, url: url)
        }
        let replayed = responseHeaders.first(name: "Idempotent-Replayed")?.lowercased() == "true"
        return GMResponse(status: status, body: body, replayed: replayed, url: url)
    }

    /// A request body as sorted-key JSON.
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("request bodies are plain structs of strings and integers, which always encode")
        }
        return data
    }

    /// The error for a non-2xx answer: the API's own error body when it has one, else the status.
    static func rejection(status: Int, body: [UInt8], headers: HTTPHeaders, url: String) -> GMClientError {
        let text = String(decoding: body, as: UTF8.self)
        let retryAfter = headers.first(name: "Retry-After")
        if let decoded = try? JSONDecoder().decode(APIErrorBody.self, from: Data(body)) {
            return GMClientError(.rejected, decoded.error.message, status: status, apiError: decoded.error, body: text, retryAfter: retryAfter)
        }
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        return GMClientError(.rejected, "HTTP \(status) \(reason) from \(url)", status: status, body: text, retryAfter: retryAfter)
    }

    /// A short reason for a transport failure: `connection refused`, `timed out after 30 s`, `host not found` …
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "host \(error.host) not found"
            }
            if let first = error.connectionErrors.first { return Self.describe(first.error) }
            return "no address to connect to for \(error.host)"
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return "connection refused"
        case let error as IOError where error.errnoCode == EHOSTUNREACH || error.errnoCode == ENETUNREACH:
            return "host unreachable"
        case let error as IOError where error.errnoCode == ECONNRESET:
            return "the connection was reset before an answer"
        case let error as HTTPClientError where error == .connectTimeout:
            return "connection timed out"
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return "no answer within \(Self.requestTimeout.nanoseconds / 1_000_000_000) s"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "the connection was closed before an answer"
        case let error as ChannelError:
            if case .connectTimeout = error { return "connection timed out" }
            return "\(error)"
        default:
            return "\(error)"
        }
    }
}
