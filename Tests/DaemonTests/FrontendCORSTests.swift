import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Storage
import Testing

@testable import Daemon

/// `FRONTEND_URL` is the only origin whose pages may call the GM API (DESIGN §4 configuration).
@Suite struct FrontendCORSTests {
    static let key = "tml_cors-key-0123456789abcdefghijklmnopqrstuvwxyz"
    static let frontend = "https://gm.example.com"

    private func makeApp(frontendURL: String? = Self.frontend + "/tumulte/app") -> some ApplicationProtocol {
        let keys = InMemoryAPIKeys([Self.key: APIKeyRecord(id: UUID(), name: "gm", createdAt: Date())])
        var dependencies = RouterDependencies(
            health: HealthChecker(database: { true }, redis: { true }),
            metrics: .init(),
            metricsToken: nil,
            apiKeys: keys
        )
        dependencies.frontendURL = frontendURL
        return Application(router: buildRouter(dependencies: dependencies), logger: Logger(label: "test"))
    }

    @Test("the frontend's preflight is answered 204 with the API's methods and headers, before any API key check")
    func preflight() async throws {
        try await self.makeApp().test(.router) { client in
            let headers: HTTPFields = [
                .origin: Self.frontend, .accessControlRequestMethod: "POST",
                .accessControlRequestHeaders: "authorization, content-type, idempotency-key",
            ]
            try await client.execute(uri: "/api/v1/polls", method: .options, headers: headers) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == Self.frontend)
                #expect(response.headers[.accessControlAllowMethods] == "GET, POST, DELETE")
                #expect(response.headers[.accessControlAllowHeaders] == "Authorization, Content-Type, Idempotency-Key, Last-Event-ID")
                #expect(response.headers[.accessControlMaxAge] == "600")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
                #expect(response.headers[.vary] == "Origin")
            }
        }
    }

    @Test("answers to the frontend carry its origin, errors included; the origin's path in FRONTEND_URL is ignored")
    func sharedAnswers() async throws {
        try await self.makeApp().test(.router) { client in
            let authorized: HTTPFields = [.origin: Self.frontend, .authorization: "Bearer \(Self.key)"]
            try await client.execute(uri: "/api/v1/whoami", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == Self.frontend)
                #expect(response.headers[.accessControlExposeHeaders]?.contains("Retry-After") == true)
                #expect(response.headers[values: .vary].contains("Origin"))
            }
            // A 401 thrown by the API key check is readable by the frontend too.
            try await client.execute(uri: "/api/v1/whoami", method: .get, headers: [.origin: Self.frontend]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.accessControlAllowOrigin] == Self.frontend)
                #expect(String(buffer: response.body).contains("\"unauthorized\""))
            }
        }
    }

    @Test("the origin of FRONTEND_URL: scheme and host lower-cased, no path, no default port")
    func origins() {
        typealias CORS = FrontendCORSMiddleware<BasicRequestContext>
        #expect(CORS.origin(of: "HTTPS://GM.Example.com/Tumulte/app?x=1") == "https://gm.example.com")
        #expect(CORS.origin(of: "https://gm.example.com:443/app") == "https://gm.example.com")
        #expect(CORS.origin(of: "http://gm.example.com:80") == "http://gm.example.com")
        #expect(CORS.origin(of: "http://127.0.0.1:8080/") == "http://127.0.0.1:8080")
        #expect(CORS.origin(of: "https://gm.example.com:8443#top") == "https://gm.example.com:8443")
    }

    @Test(
        "other origins, other routes and a daemon without FRONTEND_URL share nothing",
        arguments: ["https://evil.example.com", "https://gm.example.com:8443", "http://gm.example.com", "null"]
    )
    func otherOrigins(origin: String) async throws {
        try await self.makeApp().test(.router) { client in
            let preflight: HTTPFields = [.origin: origin, .accessControlRequestMethod: "POST"]
            try await client.execute(uri: "/api/v1/polls", method: .options, headers: preflight) { response in
                #expect(response.status != .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/api/v1/whoami", method: .get, headers: [.origin: origin, .authorization: "Bearer \(Self.key)"]) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[values: .vary].contains("Origin"))
            }
        }
        try await self.makeApp().test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.origin: Self.frontend]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        try await self.makeApp(frontendURL: nil).test(.router) { client in
            try await client.execute(uri: "/api/v1/whoami", method: .get, headers: [.origin: Self.frontend, .authorization: "Bearer \(Self.key)"]) {
                response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
