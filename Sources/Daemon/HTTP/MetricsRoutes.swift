import Core
public import Hummingbird
public import Prometheus

/// `GET /metrics`: the Prometheus text exposition, behind a bearer token when one is configured.
public struct MetricsRoutes<Context: RequestContext>: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let token: String?

    /// Creates the route.
    /// - Parameters:
    ///   - registry: The registry the metrics factory writes to.
    ///   - token: The `METRICS_TOKEN`; nil leaves the route open.
    public init(registry: PrometheusCollectorRegistry, token: String?) {
        self.registry = registry
        self.token = token
    }

    /// Registers the route on `router`.
    public func register(on router: Router<Context>) {
        router.get("/metrics") { request, _ in
            if let token = self.token {
                let given = request.headers[.authorization].flatMap { value -> Substring? in
                    value.hasPrefix("Bearer ") ? value.dropFirst("Bearer ".count) : nil
                }
                guard let given, ConstantTime.equals(Array(given.utf8), Array(token.utf8)) else {
                    throw APIError.unauthorized("GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.")
                }
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 * 1024)
            self.registry.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}
