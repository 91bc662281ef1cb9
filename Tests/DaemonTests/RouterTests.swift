import Daemon
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Synchronization
import Testing

@Suite struct RouterTests {
    /// A switchable dependency state for the health probes.
    final class Dependencies: Sendable {
        let database = Atomic<Bool>(true)
        let redis = Atomic<Bool>(true)
    }

    private func makeApp(
        _ dependencies: Dependencies,
        metricsToken: String? = nil,
        registry: PrometheusCollectorRegistry = .init()
    )
        -> some ApplicationProtocol
    {
        let checker = HealthChecker(
            database: { dependencies.database.load(ordering: .relaxed) },
            redis: { dependencies.redis.load(ordering: .relaxed) }
        )
        let router = buildRouter(
            dependencies: .init(health: checker, metrics: registry, metricsToken: metricsToken, apiKeys: InMemoryAPIKeys())
        )
        return Application(router: router, logger: Logger(label: "test"))
    }

    private func json(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any])
    }

    @Test("/health/live answers alive")
    func live() async throws {
        try await self.makeApp(Dependencies()).test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"alive"}"#)
            }
        }
    }

    @Test("/health/ready is 200 when both services answer, 503 naming the one that does not, 200 again once back")
    func ready() async throws {
        let dependencies = Dependencies()
        try await self.makeApp(dependencies).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
            dependencies.redis.store(false, ordering: .relaxed)
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"services":{"database":true,"redis":false},"status":"not ready"}"#)
            }
            dependencies.redis.store(true, ordering: .relaxed)
            dependencies.database.store(false, ordering: .relaxed)
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""database":false"#))
            }
            dependencies.database.store(true, ordering: .relaxed)
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/health twitchAccounts: channels and the bot needing a new connection turn it needs_reauth")
    func twitchAccounts() async throws {
        func accounts(channels: [String], bot: (login: String, needsReauth: Bool)?) async throws -> [String: Any] {
            let checker = HealthChecker(database: { true }, redis: { true }, twitchAccounts: { channels }, bot: { bot })
            let app = Application(
                router: buildRouter(dependencies: .init(health: checker, metrics: .init(), metricsToken: nil, apiKeys: InMemoryAPIKeys())),
                logger: Logger(label: "test")
            )
            let body = try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in response.body }
            }
            let services = try #require(try self.json(body)["services"] as? [String: Any])
            return try #require(services["twitchAccounts"] as? [String: Any])
        }
        let none = try await accounts(channels: [], bot: nil)
        #expect(none["status"] as? String == "ok" && none["bot"] == nil)
        let fine = try await accounts(channels: [], bot: ("tumulte_bot", false))
        #expect(fine["status"] as? String == "ok")
        #expect((fine["bot"] as? [String: Any])?["login"] as? String == "tumulte_bot")
        let revoked = try await accounts(channels: [], bot: ("tumulte_bot", true))
        #expect(revoked["status"] as? String == "needs_reauth")
        #expect((revoked["bot"] as? [String: Any])?["needsReauth"] as? Bool == true)
        let channel = try await accounts(channels: ["beta_gm"], bot: ("tumulte_bot", false))
        #expect(channel["status"] as? String == "needs_reauth" && channel["needsReauth"] as? [String] == ["beta_gm"])
    }

    @Test("/health reports ok or degraded with timestamp, version and services")
    func health() async throws {
        let dependencies = Dependencies()
        try await self.makeApp(dependencies).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try self.json(response.body)
                #expect(body["status"] as? String == "ok")
                #expect(body["version"] as? String == TumulteVersion.current)
                let timestamp = try #require(body["timestamp"] as? String)
                #expect((try? Date(timestamp, strategy: .iso8601)) != nil)
                let services = try #require(body["services"] as? [String: Any])
                #expect(services["database"] as? Bool == true)
                #expect(services["redis"] as? Bool == true)
                #expect(services["twitchChat"] is [String: Any])
                #expect(services["eventSub"] is [String: Any])
            }
            dependencies.database.store(false, ordering: .relaxed)
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try self.json(response.body)
                #expect(body["status"] as? String == "degraded")
            }
        }
    }

    @Test("a probe that hangs counts as down after the timeout")
    func hangingProbe() async {
        let checker = HealthChecker(
            database: {
                try? await Task.sleep(for: .seconds(60))
                return true
            },
            redis: { true },
            timeout: .milliseconds(50)
        )
        let report = await checker.check()
        #expect(report == .init(database: false, redis: true))
    }

    @Test("unknown routes and wrong methods answer the JSON error shape")
    func jsonErrors() async throws {
        try await self.makeApp(Dependencies()).test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let error = try #require(try self.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
                #expect(error["message"] is String)
            }
        }
    }

    @Test("a body over 64 KiB is refused with 413 and the JSON error, with or without Content-Length")
    func bodyLimit() async throws {
        let big = ByteBuffer(repeating: 0x61, count: 64 * 1024 + 1)
        try await self.makeApp(Dependencies()).test(.live) { client in
            try await client.execute(uri: "/health/live", method: .post, body: big) { response in
                #expect(response.status == .contentTooLarge)
                let error = try #require(try self.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "body_too_large")
            }
        }
    }

    @Test("/metrics serves Prometheus text, behind the bearer token when one is set")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(descriptor: .init(namespace: "tumulte", metricName: "test", unitName: "total", helpText: "A counter for the test."))
            .increment()
        try await self.makeApp(Dependencies(), metricsToken: "metrics-token", registry: registry).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try self.json(response.body)
                #expect(body["error"] != nil)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-token"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(String(buffer: response.body).contains("tumulte_test_total 1"))
            }
        }
    }
}
