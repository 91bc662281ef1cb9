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

    /// Creates the dependencies.
    /// - Parameters:
    ///   - health: Checks PostgreSQL and Redis.
    ///   - metrics: The Prometheus registry.
    ///   - metricsToken: The bearer token of `/metrics`, if any.
    ///   - apiKeys: Checks the API keys of `/api/v1`.
    public init(health: HealthChecker, metrics: PrometheusCollectorRegistry, metricsToken: String?, apiKeys: any APIKeyAuthenticating) {
        self.health = health
        self.metrics = metrics
        self.metricsToken = metricsToken
        self.apiKeys = apiKeys
    }
}

/// Builds the router with its middleware (logging, metrics, JSON errors, body limit) and every route.
public func buildRouter(dependencies: RouterDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ErrorMiddleware())
    router.middlewares.add(BodyLimitMiddleware())
    HealthRoutes(checker: dependencies.health).register(on: router)
    MetricsRoutes(registry: dependencies.metrics, token: dependencies.metricsToken).register(on: router)
    APIRoutes(authenticator: dependencies.apiKeys).register(on: router)
    return router
}
