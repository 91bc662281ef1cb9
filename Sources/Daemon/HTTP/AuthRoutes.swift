import Core
import EventSub
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// What the Twitch connection routes need; absent when no Twitch application is configured.
struct TwitchConnectDependencies: Sendable {
    /// Finishes a connection.
    var connector: TwitchConnector
    /// Signs and checks the OAuth `state`.
    var states: OAuthState
    /// Where the browser goes after a connection (`FRONTEND_URL`), if anywhere.
    var frontendURL: String?
    /// The base of overlay URLs.
    var publicBaseURL: String
    /// Called after an account connected (native polls start following the channel).
    var connected: @Sendable () -> Void = {}
    /// Called after the bot account connected (chat logs in as it).
    var botConnected: @Sendable () -> Void = {}
}

/// `GET /auth/twitch` and `GET /auth/twitch/callback`: a streamer connects their Twitch account so their channel
/// can run native polls. No API key: the browser of the streamer comes here, and only channels the GM added can be
/// connected.
struct AuthRoutes: Sendable {
    /// What the routes need; nil when no Twitch application is configured.
    let dependencies: TwitchConnectDependencies?

    /// Adds the two routes.
    func register(on router: Router<AppRequestContext>) {
        router.get("/auth/twitch") { request, context in try await self.start(request, context) }
        router.get("/auth/twitch/callback") { request, context in try await self.callback(request, context) }
    }

    private func start(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let dependencies = self.dependencies else { return Self.notConfigured }
        let requested = request.uri.queryParameters["role"].map(String.init) ?? "broadcaster"
        guard let role = OAuthState.Role(rawValue: requested) else {
            return AuthPage.response(status: .badRequest, title: "Unknown role", message: "role must be broadcaster or bot.")
        }
        let started = try await dependencies.states.start(role: role)
        let scopes = role == .bot ? TwitchOAuthClient.botScopes : TwitchOAuthClient.broadcasterScopes
        let url = dependencies.connector.oauth.authorizeURL(state: started.state, scopes: scopes)
        var headers: HTTPFields = [.location: url, .cacheControl: "no-store", .init("Referrer-Policy")!: "no-referrer"]
        if let cookie = started.cookie { headers[.setCookie] = cookie }
        return Response(status: .found, headers: headers)
    }

    private func callback(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let dependencies = self.dependencies else { return Self.notConfigured }
        let query = request.uri.queryParameters
        let clearing = dependencies.states.clearingCookie
        let state = query["state"].map(String.init) ?? ""
        guard let role = try await dependencies.states.finish(state, cookieHeader: request.headers[.cookie]) else {
            return AuthPage.response(
                status: .badRequest,
                title: "Link expired",
                message: "This connection link has expired, was already used, or was opened in another browser. Start again from the connect link.",
                cookie: clearing
            )
        }
        if let error = query["error"] {
            let description = query["error_description"].map(String.init) ?? String(error)
            return AuthPage.response(
                status: .badRequest,
                title: "Not connected",
                message: "Twitch did not connect the account: \(description). Nothing was changed.",
                cookie: clearing
            )
        }
        guard let code = query["code"], !code.isEmpty else {
            return AuthPage.response(
                status: .badRequest,
                title: "Not connected",
                message: "Twitch sent no authorization code. Start again.",
                cookie: clearing
            )
        }
        do {
            if role == .bot {
                let login = try await dependencies.connector.connectBot(code: String(code))
                dependencies.botConnected()
                return AuthPage.response(
                    status: .ok,
                    title: "Bot connected",
                    message:
                        "\(login) is tumulte's bot account. Within 30 seconds tumulte reads chat as \(login) and announces polls and their results in chat.",
                    cookie: clearing
                )
            }
            let channel = try await dependencies.connector.connect(code: String(code))
            dependencies.connected()
            if let frontend = dependencies.frontendURL, var components = URLComponents(string: frontend) {
                components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "connected", value: channel.login.value)]
                var headers: HTTPFields = [.location: components.string ?? frontend, .cacheControl: "no-store"]
                if let clearing { headers[.setCookie] = clearing }
                return Response(status: .seeOther, headers: headers)
            }
            return AuthPage.response(
                status: .ok,
                title: "Connected",
                message: "\(channel.displayName ?? channel.login.value) is connected: polls in this channel can now use Twitch's own poll.",
                link: channel.overlayToken.isEmpty
                    ? nil : ("Overlay URL for OBS (keep it private):", "\(dependencies.publicBaseURL)/overlay/\(channel.overlayToken)"),
                cookie: clearing
            )
        } catch let failure as TwitchConnector.Failure {
            return AuthPage.response(
                status: HTTPResponse.Status(code: failure.status),
                title: "Not connected",
                message: failure.message,
                cookie: clearing
            )
        }
    }

    private static var notConfigured: Response {
        AuthPage.response(
            status: .serviceUnavailable,
            title: "Twitch is not configured",
            message: "This tumulte has no Twitch application: set TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET and TWITCH_REDIRECT_URI, then restart it."
        )
    }
}
