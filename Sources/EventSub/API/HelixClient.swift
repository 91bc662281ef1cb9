public import AsyncHTTPClient
import Foundation
public import NIOCore
import NIOHTTP1
import Synchronization

/// The Helix calls the daemon makes: users, polls (API-P1 … P5) and EventSub subscriptions (API-E1, E2), with
/// Twitch's rate limits honoured (API-R1): a bucket found empty is waited for, a 429 waits until
/// `Ratelimit-Reset` and retries, a 503 is retried once, and nothing else is retried.
public struct HelixClient: Sendable {
    /// Twitch's limits for a poll (API-P1).
    public enum PollLimits {
        /// The longest title.
        public static let titleLength = 60
        /// The longest choice label.
        public static let choiceLength = 25
        /// How many choices.
        public static let choices = 2...5
        /// How long, in seconds.
        public static let duration = 15...1800
    }

    private let application: TwitchApplication
    private let http: TwitchHTTP
    private let buckets: Buckets
    /// The longest wait for a rate-limit bucket before giving up with `rateLimited`.
    private let longestWait: Duration

    /// Creates a client over a shared `HTTPClient`.
    public init(application: TwitchApplication, httpClient: HTTPClient, timeout: TimeAmount = .seconds(10), longestWait: Duration = .seconds(60)) {
        self.application = application
        self.http = TwitchHTTP(client: httpClient, timeout: timeout)
        self.buckets = Buckets()
        self.longestWait = longestWait
    }

    // MARK: Users

    /// The users with these logins (at most 100); the token's own user when `logins` is empty.
    public func users(logins: [String], token: String) async throws -> [HelixUser] {
        let response = try await self.send(.GET, "/users", query: logins.map { ("login", $0) }, token: token)
        return try response.decode(HelixData<HelixUser>.self, "users").data
    }

    // MARK: Polls

    /// Starts a native poll (API-P1). The caller has fitted the input to ``PollLimits``.
    /// - Throws: ``TwitchAPIError`` with `notAffiliate` for channels that cannot run polls (API-P3), `badRequest`
    ///   when one is already running or the input is refused (API-P2).
    public func createPoll(broadcasterID: String, title: String, choices: [String], duration: Int, token: String) async throws -> HelixPoll {
        let body: [String: Any] = [
            "broadcaster_id": broadcasterID, "title": title, "choices": choices.map { ["title": $0] }, "duration": duration,
        ]
        let response = try await self.send(.POST, "/polls", json: body, token: token)
        guard let poll = try response.decode(HelixData<HelixPoll>.self, "create poll").data.first else {
            throw TwitchAPIError(.malformed, status: response.status, "create poll: no poll in the answer")
        }
        return poll
    }

    /// Ends a poll now, its results staying visible (`TERMINATED`, API-P4). A poll that is no longer active is
    /// not an error.
    public func endPoll(broadcasterID: String, pollID: String, token: String) async throws -> HelixPoll? {
        do {
            let body: [String: Any] = ["broadcaster_id": broadcasterID, "id": pollID, "status": "TERMINATED"]
            let response = try await self.send(.PATCH, "/polls", json: body, token: token)
            return try response.decode(HelixData<HelixPoll>.self, "end poll").data.first
        } catch let error as TwitchAPIError where error.code == .badRequest {
            return nil
        }
    }

    /// Polls of a broadcaster by id (API-P5), to resynchronise after an EventSub gap.
    public func polls(broadcasterID: String, ids: [String], token: String) async throws -> [HelixPoll] {
        let query = [("broadcaster_id", broadcasterID)] + ids.prefix(20).map { ("id", $0) }
        let response = try await self.send(.GET, "/polls", query: query, token: token)
        return try response.decode(HelixData<HelixPoll>.self, "get polls").data
    }

    // MARK: EventSub subscriptions

    /// Creates a subscription (API-E1). A 409 (it exists) is returned as `conflict`, which callers after a
    /// reconnect race treat as success.
    public func createSubscription(
        type: String,
        version: String = "1",
        condition: [String: String],
        transport: HelixTransport,
        token: String
    ) async throws -> HelixSubscription {
        let transportBody: [String: Any] =
            switch transport {
            case .websocket(let sessionID): ["method": "websocket", "session_id": sessionID]
            case .webhook(let callback, let secret): ["method": "webhook", "callback": callback, "secret": secret]
            }
        let body: [String: Any] = ["type": type, "version": version, "condition": condition, "transport": transportBody]
        let response = try await self.send(.POST, "/eventsub/subscriptions", json: body, token: token)
        guard let subscription = try response.decode(HelixData<HelixSubscription>.self, "create subscription").data.first else {
            throw TwitchAPIError(.malformed, status: response.status, "create subscription: no subscription in the answer")
        }
        return subscription
    }

    /// The subscriptions the token's application holds (for a user token, the user's), every page (API-E2).
    public func subscriptions(token: String) async throws -> [HelixSubscription] {
        var all: [HelixSubscription] = []
        var cursor: String?
        repeat {
            let response = try await self.send(.GET, "/eventsub/subscriptions", query: cursor.map { [("after", $0)] } ?? [], token: token)
            let page = try response.decode(HelixData<HelixSubscription>.self, "subscriptions")
            all += page.data
            cursor = page.pagination?.cursor.flatMap { $0.isEmpty ? nil : $0 }
        } while cursor != nil && all.count < 100_000
        return all
    }

    /// Deletes a subscription; one already gone is not an error.
    public func deleteSubscription(id: String, token: String) async throws {
        do {
            _ = try await self.send(.DELETE, "/eventsub/subscriptions", query: [("id", id)], token: token)
        } catch let error as TwitchAPIError where error.code == .notFound {
            return
        }
    }

    // MARK: Sending

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        json: [String: Any]? = nil,
        token: String
    ) async throws -> TwitchHTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Client-Id": self.application.clientID]
        var body: [UInt8]?
        if let json {
            headers.add(name: "Content-Type", value: "application/json")
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }
        let url = self.application.apiURL + path + TwitchHTTP.query(query)
        let bucket = Buckets.key(token)
        var retriedUnavailable = false
        var rateLimitedTimes = 0
        while true {
            try await self.waitForBucket(bucket)
            let response = try await self.http.send(method, url, headers: headers, body: body)
            self.buckets.note(response.headers, for: bucket)
            switch response.status {
            case 200..<300:
                return response
            case 429 where rateLimitedTimes < 2 && response.headers.first(name: "Ratelimit-Remaining").flatMap(Int.init) ?? 0 == 0:
                // The bucket is empty: wait until it refills. A 429 with tokens left is an endpoint's own limit (too
                // many subscriptions or sessions, ES-10), which waiting does not lift (API-R1: read the message).
                rateLimitedTimes += 1
                self.buckets.empty(bucket, until: Self.reset(response.headers) ?? Date().addingTimeInterval(1))
                continue
            case 503 where !retriedUnavailable:
                retriedUnavailable = true
                continue
            default:
                throw Self.failure(response)
            }
        }
    }

    /// Waits while the bucket of this token is known to be empty.
    private func waitForBucket(_ bucket: String) async throws {
        guard let until = self.buckets.emptyUntil(bucket) else { return }
        let wait = until.timeIntervalSinceNow
        guard wait > 0 else { return }
        guard wait <= Double(self.longestWait.components.seconds) else {
            throw TwitchAPIError(.rateLimited, status: 429, "the rate-limit bucket refills in \(Int(wait)) s")
        }
        try await Task.sleep(for: .milliseconds(Int(wait * 1000) + 50))
    }

    /// `Ratelimit-Reset` as a date.
    static func reset(_ headers: HTTPHeaders) -> Date? {
        headers.first(name: "Ratelimit-Reset").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }

    /// The error for a status that is not retried.
    static func failure(_ response: TwitchHTTPResponse) -> TwitchAPIError {
        let message = response.message
        if response.status == 400 || response.status == 403, message.lowercased().contains("partner") || message.lowercased().contains("affiliate") {
            return TwitchAPIError(.notAffiliate, status: response.status, message)
        }
        return TwitchOAuthClient.failure(response)
    }

    /// What the `Ratelimit-*` headers said, per token (keyed by a hash, not the token).
    final class Buckets: Sendable {
        private let state = Mutex<[String: Date]>([:])

        /// A key for `token` that does not reveal it.
        static func key(_ token: String) -> String {
            var hasher = Hasher()
            hasher.combine(token)
            return String(hasher.finalize())
        }

        /// Records an empty bucket from the answer's headers.
        func note(_ headers: HTTPHeaders, for key: String) {
            guard headers.first(name: "Ratelimit-Remaining").flatMap(Int.init) == 0, let reset = HelixClient.reset(headers) else { return }
            self.empty(key, until: reset)
        }

        /// Marks the bucket empty until `date`.
        func empty(_ key: String, until date: Date) {
            self.state.withLock { $0[key] = date }
        }

        /// When the bucket refills, if it is known to be empty.
        func emptyUntil(_ key: String) -> Date? {
            self.state.withLock { state in
                guard let date = state[key] else { return nil }
                if date <= Date() { state[key] = nil }
                return date
            }
        }
    }
}
