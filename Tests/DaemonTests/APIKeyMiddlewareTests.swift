import Daemon
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Storage
import Testing

@Suite struct APIKeyMiddlewareTests {
    static let valid = APIKeyRecord(id: UUID(), name: "game master", createdAt: Date())
    static let revoked = APIKeyRecord(id: UUID(), name: "old laptop", createdAt: Date(), revokedAt: Date())
    static let validKey = "tml_valid-key-0123456789abcdefghijklmnopqrstuvw"
    static let revokedKey = "tml_revoked-key-0123456789abcdefghijklmnopqrstu"

    private func makeApp() -> some ApplicationProtocol {
        let checker = HealthChecker(database: { true }, redis: { true })
        let keys = InMemoryAPIKeys([Self.validKey: Self.valid, Self.revokedKey: Self.revoked])
        let router = buildRouter(dependencies: .init(health: checker, metrics: .init(), metricsToken: nil, apiKeys: keys))
        return Application(router: router, logger: Logger(label: "test"))
    }

    private func whoami(_ authorization: String?, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await self.makeApp().test(.router) { client in
            var headers: HTTPFields = [:]
            if let authorization { headers[.authorization] = authorization }
            try await client.execute(uri: "/api/v1/whoami", method: .get, headers: headers) { response in
                try check(response)
            }
        }
    }

    private static func code(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    @Test("no Authorization header: 401 with the exact JSON body and WWW-Authenticate: Bearer")
    func missing() async throws {
        try await self.whoami(nil) { response in
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(
                String(buffer: response.body)
                    == #"{"error":{"code":"unauthorized","message":"This route needs `Authorization: Bearer <api key>`."}}"#
            )
        }
    }

    @Test("a malformed header is 401", arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", Self.validKey])
    func malformed(header: String) async throws {
        try await self.whoami(header) { response in
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(Self.code(response) == "unauthorized")
        }
    }

    @Test("an unknown key is 401")
    func unknown() async throws {
        try await self.whoami("Bearer tml_nobody") { response in
            #expect(response.status == .unauthorized)
            #expect(Self.code(response) == "unauthorized")
        }
    }

    @Test("a revoked key is 403 api_key_revoked")
    func revoked() async throws {
        try await self.whoami("Bearer \(Self.revokedKey)") { response in
            #expect(response.status == .forbidden)
            #expect(Self.code(response) == "api_key_revoked")
            #expect(response.headers[.wwwAuthenticate] == nil)
        }
    }

    @Test("a valid key reaches the route, which sees its id and name", arguments: ["Bearer", "bearer"])
    func valid(scheme: String) async throws {
        try await self.whoami("\(scheme) \(Self.validKey)") { response in
            #expect(response.status == .ok)
            #expect(
                String(buffer: response.body) == #"{"id":"\#(Self.valid.id.uuidString.lowercased())","name":"game master"}"#
            )
        }
    }

    @Test("routes outside /api/v1 need no key")
    func outside() async throws {
        try await self.makeApp().test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the 429 helper: JSON code rate_limited and Retry-After in whole seconds, at least 1")
    func rateLimitedError() throws {
        let error = APIError.rateLimited(retryAfter: 17)
        #expect(error.status == .tooManyRequests)
        #expect(error.code == "rate_limited")
        #expect(error.headers[.retryAfter] == "17")
        #expect(APIError.rateLimited(retryAfter: 0).headers[.retryAfter] == "1")
        #expect(String(decoding: error.body, as: UTF8.self) == #"{"error":{"code":"rate_limited","message":"Too many requests; try again later."}}"#)
    }

    @Test("a 429 thrown by a route answers with its status, Retry-After and JSON body")
    func rateLimitedResponse() async throws {
        let router = Router(context: AppRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.get("/limited") { _, _ -> Response in throw APIError.rateLimited(retryAfter: 42) }
        try await Application(router: router, logger: Logger(label: "test")).test(.router) { client in
            try await client.execute(uri: "/limited", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "42")
                #expect(Self.code(response) == "rate_limited")
            }
        }
    }
}
