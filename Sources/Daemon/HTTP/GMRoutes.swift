public import Core
import Crypto
public import Foundation
import HTTPTypes
public import Hummingbird
import Logging
public import OverlayFeed
import PostgresNIO
import Redis
public import Storage

/// What the channel and poll routes of the GM API need.
public struct GMDependencies: Sendable {
    /// The poll lifecycle.
    public var coordinator: PollCoordinator
    /// The channel list.
    public var channels: ChannelStore
    /// Limits poll starts per API key.
    public var pollStartLimiter: any RateLimiter
    /// The base of overlay URLs, without a trailing slash.
    public var publicBaseURL: String
    /// The live feed behind the SSE streams.
    public var feed: FeedHub

    /// Creates the dependencies.
    public init(
        coordinator: PollCoordinator,
        channels: ChannelStore,
        pollStartLimiter: any RateLimiter,
        publicBaseURL: String,
        feed: FeedHub
    ) {
        self.coordinator = coordinator
        self.channels = channels
        self.pollStartLimiter = pollStartLimiter
        self.publicBaseURL = publicBaseURL
        self.feed = feed
    }
}

/// `/api/v1/channels…` and `/api/v1/polls…`: JSON in and out, errors as ``APIError``. A `Location` is relative
/// (`polls/<id>` answering `POST …/polls`), so it stays right behind a proxy's path prefix.
struct GMRoutes: Sendable {
    let dependencies: GMDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("/channels") { request, context in try await self.addChannel(request, context) }
        api.get("/channels") { _, _ in
            let store = self.dependencies.channels
            let channels = try await withTimeout(Self.databaseTimeout, "listing channels") { try await store.list() }
            return try JSONCoding.response(["channels": channels.map { ChannelJSON($0, baseURL: self.dependencies.publicBaseURL) }])
        }
        api.delete("/channels/{login}") { _, context in
            let login = try Self.login(context)
            let store = self.dependencies.channels
            guard try await withTimeout(Self.databaseTimeout, "removing a channel", { try await store.remove(login) }) else {
                throw APIError.notFound("No channel \(login) in the list.")
            }
            self.dependencies.coordinator.channelRemoved(login)
            await self.revokeOverlay(login)
            return Response(status: .noContent)
        }
        api.post("/channels/{login}/overlay-token") { _, context in
            let login = try Self.login(context)
            let store = self.dependencies.channels
            guard let channel = try await withTimeout(Self.databaseTimeout, "rotating a token", { try await store.rotateOverlayToken(login) }) else {
                throw APIError.notFound("No channel \(login) in the list.")
            }
            await self.revokeOverlay(login)
            return try JSONCoding.response(ChannelJSON(channel, baseURL: self.dependencies.publicBaseURL))
        }
        api.post("/polls") { request, context in try await self.startPoll(request, context) }
        api.get("/polls") { request, _ in try await self.listPolls(request) }
        api.get("/polls/{id}") { _, context in
            let id = try Self.pollID(context)
            guard let poll = try await self.dependencies.coordinator.poll(id) else { throw APIError.notFound("No poll has this id.") }
            return try JSONCoding.response(PollJSON(poll))
        }
        api.get("/polls/{id}/events") { request, context in
            let id = try Self.pollID(context)
            guard try await self.dependencies.coordinator.poll(id) != nil else { throw APIError.notFound("No poll has this id.") }
            return EventStream.response(
                feed: self.dependencies.feed,
                topic: PollFeedSource.topic(poll: id.uuidString.lowercased()),
                request: request,
                context: context
            )
        }
        api.post("/polls/{id}/end") { _, context in
            let poll = try await self.dependencies.coordinator.end(try Self.pollID(context))
            return try JSONCoding.response(PollJSON(poll), status: poll.status.isFinal ? .ok : .accepted)
        }
        api.post("/polls/{id}/cancel") { _, context in
            let poll = try await self.dependencies.coordinator.cancel(try Self.pollID(context))
            return try JSONCoding.response(PollJSON(poll), status: poll.status.isFinal ? .ok : .accepted)
        }
    }

    /// Cuts the channel's open overlay streams here at once, and on every other daemon through Redis.
    private func revokeOverlay(_ login: ChannelLogin) async {
        self.dependencies.feed.close(topic: PollFeedSource.topic(channel: login.value))
        await self.dependencies.coordinator.announceOverlayRevoked(login)
    }

    private func addChannel(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var fields = JSONFields(try await JSONCoding.object(from: request, context: context), allowed: ["login"])
        let text = fields.string("login")
        var problems = fields.problems
        if problems["login"] == nil {
            if let text, let problem = ChannelLogin.problem(with: text) {
                problems["login"] = problem
            } else if text == nil {
                problems["login"] = "is required"
            }
        }
        guard problems.isEmpty, let text, let login = ChannelLogin(text) else { throw APIError.validation(problems) }
        let store = self.dependencies.channels
        let (channel, added) = try await withTimeout(Self.databaseTimeout, "adding a channel") { try await store.add(login) }
        self.dependencies.coordinator.channelAdded(login)
        return try JSONCoding.response(
            ChannelJSON(channel, baseURL: self.dependencies.publicBaseURL),
            status: added ? .created : .ok,
            headers: [.location: "channels/\(login)"]
        )
    }

    private func startPoll(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let key = context.apiKey else { preconditionFailure("APIKeyMiddleware lets no request through without a key") }
        let idempotencyKey = request.headers[.idempotencyKey]
        var fields = JSONFields(
            try await JSONCoding.object(from: request, context: context),
            allowed: ["title", "options", "durationSeconds", "channels", "mode", "voteRule"]
        )
        let draft = PollDraft(
            title: fields.string("title"),
            options: fields.strings("options"),
            durationSeconds: fields.integer("durationSeconds"),
            channels: fields.strings("channels"),
            mode: fields.string("mode"),
            voteRule: fields.string("voteRule")
        )
        var problems = fields.problems
        if let idempotencyKey, !Self.isValidIdempotencyKey(idempotencyKey) {
            problems["Idempotency-Key"] = "must be 1 to 200 printable ASCII characters"
        }
        let spec: PollSpec
        switch draft.validated() {
        case .success(let valid) where problems.isEmpty:
            spec = valid
        case .success:
            throw APIError.validation(problems)
        case .failure(let error):
            // Type errors found while reading win over range errors of the same field.
            throw APIError.validation(error.fields.merging(problems) { _, typeError in typeError })
        }
        let fingerprint = idempotencyKey.map { _ in Self.fingerprint(spec) }
        // A retry is answered before the rate limit: it starts nothing.
        if let idempotencyKey,
            let poll = try await self.dependencies.coordinator.replay(createdBy: key.id, idempotencyKey: idempotencyKey, fingerprint: fingerprint)
        {
            return try JSONCoding.response(
                PollJSON(poll),
                status: .ok,
                headers: [.location: "polls/\(poll.id)", .idempotentReplayed: "true"]
            )
        }
        switch try await self.dependencies.pollStartLimiter.acquire("apikey:\(key.id.uuidString.lowercased()):poll-start") {
        case .allowed: break
        case .limited(let retryAfter):
            throw APIError.rateLimited(retryAfter: retryAfter, message: "Too many poll starts with this API key; try again later.")
        }
        let (poll, replayed) = try await self.dependencies.coordinator.start(
            spec,
            createdBy: key.id,
            idempotencyKey: idempotencyKey,
            fingerprint: fingerprint
        )
        var headers: HTTPFields = [.location: "polls/\(poll.id)"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return try JSONCoding.response(PollJSON(poll), status: replayed ? .ok : .created, headers: headers)
    }

    private func listPolls(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var problems: [String: String] = [:]
        var status: PollStatus?
        if let text = query["status"].map(String.init) {
            status = PollStatus(rawValue: text)
            if status == nil { problems["status"] = "must be one of running, ending, ended, cancelled" }
        }
        var limit = 20
        if let text = query["limit"].map(String.init) {
            if let value = Int(text), (1...100).contains(value) { limit = value } else { problems["limit"] = "must be an integer from 1 to 100" }
        }
        let cursor = query["cursor"].map(String.init)
        guard problems.isEmpty else { throw APIError.validation(problems) }
        do {
            let page = try await self.dependencies.coordinator.page(status: status, limit: limit, cursor: cursor)
            struct Page: Encodable {
                let polls: [PollJSON]
                let nextCursor: String?
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(self.polls, forKey: .polls)
                    try container.encode(self.nextCursor, forKey: .nextCursor)
                }
                enum CodingKeys: String, CodingKey { case polls, nextCursor }
            }
            return try JSONCoding.response(Page(polls: page.polls.map(PollJSON.init), nextCursor: page.nextCursor))
        } catch let error as StorageError where error.code == .invalidCursor {
            throw APIError.validation(["cursor": "is not a cursor this API returned"])
        }
    }

    /// How long PostgreSQL may take before a request answers 503.
    private static let databaseTimeout: Duration = .seconds(5)

    private static func login(_ context: AppRequestContext) throws -> ChannelLogin {
        guard let text = context.parameters.get("login"), let login = ChannelLogin(text) else {
            throw APIError.notFound("No channel with this login in the list.")
        }
        return login
    }

    private static func pollID(_ context: AppRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("No poll has this id.") }
        return id
    }

    private static func isValidIdempotencyKey(_ key: String) -> Bool {
        (1...200).contains(key.utf8.count) && key.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// SHA-256 of the validated request, so a retry under the same key matches and a different request does not.
    private static func fingerprint(_ spec: PollSpec) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Data(SHA256.hash(data: (try? encoder.encode(spec)) ?? Data()))
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`: makes a retried poll start return the same poll.
    static var idempotencyKey: Self { .init("Idempotency-Key")! }
    /// `Idempotent-Replayed: true` on the answer to a retried start.
    static var idempotentReplayed: Self { .init("Idempotent-Replayed")! }
    /// `Last-Event-ID`: where a reconnecting SSE client resumes.
    static var lastEventID: Self { .init("Last-Event-ID")! }
    /// `X-Accel-Buffering: no` keeps nginx from buffering an SSE stream.
    static var accelBuffering: Self { .init("X-Accel-Buffering")! }
}
