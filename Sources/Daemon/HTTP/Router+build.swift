public import Hummingbird
public import Prometheus

/// What the routes need from the rest of the daemon.
public struct RouterDependencies: Sendable {
    /// Checks PostgreSQL and Redis for the health routes.
    public var health: HealthChecker
    /// The Prometheus registry behind `/metrics`.
    public var metrics: PrometheusCollectorRegistry
    /// The bearer token of `/metrics`, if any.
    public var metricsToken: String?
    /// Checks the API keys of the GM API (`/api/v1`).
    public var apiKeys: any APIKeyAuthenticating
    /// The channel and poll routes' dependencies; without them only `/api/v1/whoami` is served.
    public var gm: GMDependencies?
    /// The Twitch connection routes' dependencies; without them `/auth/twitch` says Twitch is not configured.
    var twitch: TwitchConnectDependencies?
    /// The EventSub webhook route's dependencies; without them `POST /eventsub/webhook` is a 404.
    var eventSubWebhook: EventSubWebhookDependencies?
    /// `FRONTEND_URL`: the one origin whose pages may call the GM API (CORS); nil shares it with none.
    public var frontendURL: String?

    /// Creates the dependencies.
    /// - Parameters:
    ///   - health: Checks PostgreSQL and Redis.
    ///   - metrics: The Prometheus registry.
    ///   - metricsToken: The bearer token of `/metrics`, if any.
    ///   - apiKeys: Checks the API keys of `/api/v1`.
    ///   - gm: The channel and poll routes' dependencies.
    public init(
        health: HealthChecker,
        metrics: PrometheusCollectorRegistry,
        metricsToken: String?,
        apiKeys: any APIKeyAuthenticating,
        gm: GMDependencies? = nil
    ) {
        self.health = health
        self.metrics = metrics
        self.metricsToken = metricsToken
        self.apiKeys = apiKeys
        self.gm = gm
    }
}

/// Builds the router with its middleware (logging, metrics, CORS for `FRONTEND_URL`, JSON errors, body limit) and every route.
public func buildRouter(dependencies: RouterDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    if let frontendURL = dependencies.frontendURL { router.middlewares.add(FrontendCORSMiddleware(frontendURL: frontendURL)) }
    router.middlewares.add(ErrorMiddleware())
    router.middlewares.add(BodyLimitMiddleware())
    HealthRoutes(checker: dependencies.health).register(on: router)
    MetricsRoutes(registry: dependencies.metrics, token: dependencies.metricsToken).register(on: router)
    APIRoutes(authenticator: dependencies.apiKeys, gm: dependencies.gm).register(on: router)
    if let gm = dependencies.gm { OverlayRoutes(dependencies: gm).register(on: router) }
    DashboardRoutes().register(on: router)
    AuthRoutes(dependencies: dependencies.twitch).register(on: router)
    EventSubWebhookRoutes(dependencies: dependencies.eventSubWebhook).register(on: router)
    router.get("/openapi.yaml") { _, _ in
        Response(
            status: .ok,
            headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml))
        )
    }
    return router
}
