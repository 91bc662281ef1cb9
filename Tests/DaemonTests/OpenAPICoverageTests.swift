import ChatBridge
import Daemon
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OverlayFeed
import PostgresNIO
import Prometheus
import Redis
import Storage
import Testing

/// docs/openapi.yaml against the router: every served route is described, every described route is served (unless
/// marked `x-status: planned`), and `/openapi.yaml` serves exactly the file.
@Suite struct OpenAPICoverageTests {
    /// The path keys of docs/openapi.yaml (two-space indented under `paths:`), with whether each is planned only.
    static func documentedPaths() throws -> [String: Bool] {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        var paths: [String: Bool] = [:]
        var current: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, let first = line.first, first != " " { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                let path = String(line.dropFirst(2).dropLast())
                paths[path] = false
                current = path
            } else if let current, line.trimmingCharacters(in: .whitespaces) == "x-status: planned" {
                paths[current] = true
            }
        }
        return paths
    }

    static var documentURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
    }

    /// The router the daemon builds, with every dependency constructed but nothing running.
    static func router() -> Router<AppRequestContext> {
        let logger = Logger(label: "test")
        let postgres = PostgresClient(
            configuration: .init(host: "127.0.0.1", port: 1, username: "x", password: nil, database: nil, tls: .disable),
            backgroundLogger: logger
        )
        let redis = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: 1), logger: logger)
        let store = TallyStore(redis: redis)
        let sink = VoteSink(store: store, logger: logger)
        let pool = ChatConnectionPool(logger: logger)
        let channels = ChannelStore(client: postgres, tokens: OverlayTokens(applicationKey: Array(repeating: 7, count: 32)), logger: logger)
        let coordinator = PollCoordinator(
            polls: PollStore(client: postgres, logger: logger),
            channels: channels,
            counter: VoteCounter(registry: PollRegistry(), store: store, pool: pool),
            sink: sink,
            redis: redis,
            logger: logger
        )
        return buildRouter(
            dependencies: .init(
                health: HealthChecker(database: { true }, redis: { true }),
                metrics: PrometheusCollectorRegistry(),
                metricsToken: nil,
                apiKeys: InMemoryAPIKeys(),
                gm: GMDependencies(
                    coordinator: coordinator,
                    channels: channels,
                    pollStartLimiter: RedisRateLimiter(redis: redis),
                    publicBaseURL: "http://localhost:3333",
                    feed: FeedHub(source: PollFeedSource(coordinator: coordinator), logger: logger)
                )
            )
        )
    }

    @Test("every registered route is in docs/openapi.yaml, and every documented route not marked planned is registered")
    func coverage() throws {
        let documented = try Self.documentedPaths()
        #expect(documented.count > 10)
        let served = Set(Self.router().routes.map { $0.path.description })
        for path in served.sorted() {
            #expect(documented[path] != nil, "\(path) is served but not described in docs/openapi.yaml")
        }
        for (path, planned) in documented.sorted(by: { $0.key < $1.key }) where !planned {
            #expect(served.contains(path), "\(path) is described but not served")
        }
    }

    @Test("/openapi.yaml serves docs/openapi.yaml byte for byte (run `make openapi` after editing it)")
    func servedDocument() async throws {
        let expected = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let app = Application(router: Self.router(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                #expect(String(buffer: response.body) == expected)
            }
        }
    }
}
