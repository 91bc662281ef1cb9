import Foundation

/// What the OAuth and Helix simulator knows: users, pending authorization codes and issued tokens. Pure: every
/// request is answered by ``handle(_:now:)`` under the simulator's lock, without I/O.
struct APISimulatorState: Sendable {
    /// A Twitch account.
    struct User: Sendable {
        /// The user id (the same stable id the IRC simulator gives the login).
        var id: String
        /// The login.
        var login: String
        /// The display name.
        var displayName: String
        /// `""`, `affiliate` or `partner`.
        var broadcasterType: String
    }

    /// An issued access token.
    struct AccessToken: Sendable {
        /// Whose it is.
        var userID: String
        /// The granted scopes.
        var scopes: [String]
        /// When it stops working.
        var expiresAt: Date
    }

    /// A code handed out by `authorize`, not yet exchanged.
    struct Code: Sendable {
        /// Who consented.
        var userID: String
        /// The scopes asked for.
        var scopes: [String]
        /// The redirect URI it was issued for.
        var redirectURI: String
        /// When it stops working.
        var expiresAt: Date
    }

    /// The application's client id.
    let clientID: String
    /// The application's client secret.
    let clientSecret: String
    /// How long an access token lives.
    var tokenLifetime: TimeInterval = 14_400
    /// Users by id, in creation order.
    var users: [User] = []
    /// Who consents at the next `authorize` (nil: the first user); consumed.
    var nextAuthorizer: String?
    /// Whether the next `authorize` is denied; consumed.
    var denyNext = false
    /// Codes by value.
    var codes: [String: Code] = [:]
    /// Access tokens by value.
    var accessTokens: [String: AccessToken] = [:]
    /// Refresh tokens by value: the user and scopes they renew.
    var refreshTokens: [String: (userID: String, scopes: [String])] = [:]
    /// Native polls by id.
    var polls: [String: Poll] = [:]
    /// EventSub WebSocket sessions by id.
    var sessions: [String: Session] = [:]
    /// EventSub subscriptions by id.
    var subscriptions: [String: Subscription] = [:]
    /// Whether every notification is sent twice (at-least-once delivery, ES-13).
    var duplicateNotifications = false
    /// Frames and closes waiting to be written to EventSub sockets.
    var outbox: [Delivery] = []
    /// Statuses the next Helix requests get instead of their answer (429 and 503 as Twitch sends them); consumed.
    var scriptedFailures: [(status: Int, path: String?)] = []
    /// Every token issued, with its user, expired or not.
    var issued: [(userID: String, token: String)] = []
    /// Every request, as `METHOD /path`.
    var log: [String] = []
    /// Random source for codes and tokens.
    var random = SystemRandomNumberGenerator()

    /// The user with login `login`.
    func user(login: String) -> User? {
        self.users.first { $0.login == login.lowercased() }
    }

    /// The user with id `id`.
    func user(id: String) -> User? {
        self.users.first { $0.id == id }
    }

    /// Answers one request.
    mutating func handle(_ request: APIRequest, now: Date) -> APIResponse {
        self.log.append("\(request.method) \(request.path)")
        switch (request.method, request.path) {
        case ("GET", "/oauth2/authorize"): return self.authorize(request, now: now)
        case ("POST", "/oauth2/token"): return self.token(request, now: now)
        case ("GET", "/oauth2/validate"): return self.validate(request, now: now)
        case ("POST", "/oauth2/revoke"): return self.revoke(request)
        case ("GET", "/helix/users"): return self.helix(request, now: now) { state, caller in state.users(request, caller: caller) }
        case ("POST", "/helix/polls"): return self.helix(request, now: now) { state, caller in state.createPoll(request, caller: caller, now: now) }
        case ("PATCH", "/helix/polls"): return self.helix(request, now: now) { state, caller in state.endPoll(request, caller: caller, now: now) }
        case ("GET", "/helix/polls"): return self.helix(request, now: now) { state, caller in state.getPolls(request, caller: caller) }
        case ("POST", "/helix/eventsub/subscriptions"):
            return self.helix(request, now: now) { state, caller in state.createSubscription(request, caller: caller, now: now) }
        case ("GET", "/helix/eventsub/subscriptions"):
            return self.helix(request, now: now) { state, caller in state.listSubscriptions(caller: caller) }
        case ("DELETE", "/helix/eventsub/subscriptions"):
            return self.helix(request, now: now) { state, caller in state.deleteSubscription(request, caller: caller) }
        default: return .error(404, "no such endpoint in the simulator: \(request.method) \(request.path)")
        }
    }

    // MARK: OAuth

    private mutating func authorize(_ request: APIRequest, now: Date) -> APIResponse {
        guard request.query("client_id") == self.clientID else { return .error(400, "invalid client") }
        guard let redirect = request.query("redirect_uri"), var target = URLComponents(string: redirect) else {
            return .error(400, "Parameter redirect_uri does not match registered URI")
        }
        guard request.query("response_type") == "code" else { return .error(400, "unsupported response_type") }
        var items = target.queryItems ?? []
        let state = request.query("state")
        if self.denyNext {
            self.denyNext = false
            items.append(URLQueryItem(name: "error", value: "access_denied"))
            items.append(URLQueryItem(name: "error_description", value: "The user denied you access"))
        } else {
            guard let user = self.nextAuthorizer.flatMap({ self.user(login: $0) }) ?? self.users.first else {
                return .error(400, "the simulator has no user to consent")
            }
            self.nextAuthorizer = nil
            let scopes = (request.query("scope") ?? "").split(separator: " ").map(String.init)
            let code = self.newSecret(length: 30)
            self.codes[code] = Code(userID: user.id, scopes: scopes, redirectURI: redirect, expiresAt: now + 600)
            items.append(URLQueryItem(name: "code", value: code))
            items.append(URLQueryItem(name: "scope", value: scopes.joined(separator: " ")))
        }
        if let state { items.append(URLQueryItem(name: "state", value: state)) }
        target.queryItems = items
        return .redirect(target.string ?? redirect)
    }

    private mutating func token(_ request: APIRequest, now: Date) -> APIResponse {
        let form = request.form
        guard form["client_id"] == self.clientID else { return .error(400, "invalid client") }
        guard form["client_secret"] == self.clientSecret else { return .error(403, "invalid client secret") }
        switch form["grant_type"] {
        case "authorization_code":
            guard let value = form["code"], let code = self.codes.removeValue(forKey: value), code.expiresAt > now,
                code.redirectURI == form["redirect_uri"]
            else { return .error(400, "Invalid authorization code") }
            return self.issue(userID: code.userID, scopes: code.scopes, now: now)
        case "client_credentials":
            // An app access token: no user, no scopes, no refresh token (webhook subscriptions need one, ES-12).
            let access = self.newSecret(length: 30)
            self.accessTokens[access] = AccessToken(userID: "", scopes: [], expiresAt: now + self.tokenLifetime)
            self.issued.append(("", access))
            return .json(200, ["access_token": access, "expires_in": Int(self.tokenLifetime), "token_type": "bearer"])
        case "refresh_token":
            // Refresh tokens rotate: the one used stops working.
            guard let value = form["refresh_token"], let grant = self.refreshTokens.removeValue(forKey: value) else {
                return .error(400, "Invalid refresh token")
            }
            return self.issue(userID: grant.userID, scopes: grant.scopes, now: now)
        default:
            return .error(400, "unsupported grant_type")
        }
    }

    /// Issues a new access and refresh token to a user.
    mutating func issueTokens(userID: String, scopes: [String], now: Date) -> (access: String, refresh: String) {
        let access = self.newSecret(length: 30)
        let refresh = self.newSecret(length: 50)
        self.accessTokens[access] = AccessToken(userID: userID, scopes: scopes, expiresAt: now + self.tokenLifetime)
        self.refreshTokens[refresh] = (userID, scopes)
        self.issued += [(userID, access), (userID, refresh)]
        return (access, refresh)
    }

    private mutating func issue(userID: String, scopes: [String], now: Date) -> APIResponse {
        let (access, refresh) = self.issueTokens(userID: userID, scopes: scopes, now: now)
        return .json(
            200,
            [
                "access_token": access, "refresh_token": refresh, "expires_in": Int(self.tokenLifetime), "scope": scopes,
                "token_type": "bearer",
            ]
        )
    }

    private func validate(_ request: APIRequest, now: Date) -> APIResponse {
        guard let (value, token) = self.bearer(request, scheme: "OAuth", now: now), let user = self.user(id: token.userID) else {
            return .json(401, ["status": 401, "message": "invalid access token"])
        }
        _ = value
        return .json(
            200,
            [
                "client_id": self.clientID, "login": user.login, "scopes": token.scopes, "user_id": user.id,
                "expires_in": max(0, Int(token.expiresAt.timeIntervalSince(now))),
            ]
        )
    }

    private mutating func revoke(_ request: APIRequest) -> APIResponse {
        let form = request.form
        guard form["client_id"] == self.clientID else { return .json(404, ["status": 404, "message": "client does not exist"]) }
        guard let token = form["token"], self.accessTokens.removeValue(forKey: token) != nil else {
            return .json(400, ["status": 400, "message": "Invalid token"])
        }
        return APIResponse(status: 200)
    }

    /// The token of an `Authorization: <scheme> <token>` header, if it is live.
    private func bearer(_ request: APIRequest, scheme: String, now: Date) -> (String, AccessToken)? {
        guard let header = request.headers["authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == scheme.lowercased() || parts[0].lowercased() == "bearer" else { return nil }
        let value = String(parts[1])
        guard let token = self.accessTokens[value], token.expiresAt > now else { return nil }
        return (value, token)
    }

    // MARK: Helix

    /// Checks `Client-Id` and the bearer token, then answers with `body`.
    private mutating func helix(
        _ request: APIRequest,
        now: Date,
        _ body: (inout APISimulatorState, AccessToken) -> APIResponse
    ) -> APIResponse {
        guard request.headers["client-id"] == self.clientID else { return .error(401, "Client ID and OAuth token do not match") }
        guard let (_, token) = self.bearer(request, scheme: "Bearer", now: now) else { return .error(401, "Invalid OAuth token") }
        if let index = self.scriptedFailures.firstIndex(where: { $0.path == nil || $0.path == request.path }) {
            let status = self.scriptedFailures.remove(at: index).status
            // A 429 says the bucket is empty and refills in a second (API-R1).
            let reset = Int(now.timeIntervalSince1970) + 1
            return .error(
                status,
                status == 429 ? "Too Many Requests" : "scripted failure",
                headers: [("Ratelimit-Limit", "800"), ("Ratelimit-Remaining", status == 429 ? "0" : "799"), ("Ratelimit-Reset", "\(reset)")]
            )
        }
        var response = body(&self, token)
        let reset = Int(now.timeIntervalSince1970) + 60
        response.headers += [("Ratelimit-Limit", "800"), ("Ratelimit-Remaining", "799"), ("Ratelimit-Reset", "\(reset)")]
        return response
    }

    private func users(_ request: APIRequest, caller: AccessToken) -> APIResponse {
        let ids = request.queryAll("id")
        let logins = request.queryAll("login").map { $0.lowercased() }
        guard ids.count + logins.count <= 100 else { return .error(400, "The sum of the id and login parameters may not exceed 100") }
        let found =
            ids.isEmpty && logins.isEmpty
            ? self.users.filter { $0.id == caller.userID }
            : self.users.filter { ids.contains($0.id) || logins.contains($0.login) }
        return .json(
            200,
            [
                "data": found.map { user in
                    [
                        "id": user.id, "login": user.login, "display_name": user.displayName, "type": "",
                        "broadcaster_type": user.broadcasterType, "description": "", "profile_image_url": "",
                        "offline_image_url": "", "view_count": 0, "created_at": "2020-01-01T00:00:00Z",
                    ] as [String: Any]
                }
            ]
        )
    }

    /// A random token-like string of `length` lower-case letters and digits.
    private mutating func newSecret(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &self.random)] })
    }
}
