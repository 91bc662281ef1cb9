import Foundation
public import Hummingbird

/// `GET /health`, `/health/ready` and `/health/live`, with the JSON bodies of DESIGN.md §4.
public struct HealthRoutes<Context: RequestContext>: Sendable {
    private let checker: HealthChecker
    private let version: String

    /// Creates the routes.
    public init(checker: HealthChecker, version: String = TumulteVersion.current) {
        self.checker = checker
        self.version = version
    }

    /// Registers the three routes on `router`.
    public func register(on router: Router<Context>) {
        router.get("/health/live") { _, _ in
            Self.json(.ok, ["status": "alive"])
        }
        router.get("/health/ready") { _, _ in
            let report = await self.checker.check()
            if report.isReady {
                return Self.json(.ok, ["status": "ready"])
            }
            return Self.json(
                .serviceUnavailable,
                ["status": "not ready", "services": ["database": report.database, "redis": report.redis]]
            )
        }
        router.get("/health") { _, _ in
            let report = await self.checker.check()
            let body: [String: Any] = [
                "status": report.isReady ? "ok" : "degraded",
                "timestamp": Date().formatted(.iso8601),
                "version": self.version,
                "services": [
                    "database": report.database,
                    "redis": report.redis,
                    "twitchChat": report.twitchChat?.json ?? ["status": "disabled"],
                    "twitchAccounts": report.channelsNeedingReauth.map { logins in
                        var accounts: [String: Any] = [
                            "status": logins.isEmpty && report.bot?.needsReauth != true ? "ok" : "needs_reauth", "needsReauth": logins.sorted(),
                        ]
                        if let bot = report.bot { accounts["bot"] = ["login": bot.login, "needsReauth": bot.needsReauth] }
                        return accounts
                    } ?? ["status": "disabled"],
                    "eventSub": report.eventSub.map { eventSub -> [String: Any] in
                        guard eventSub.transport == "websocket" else { return ["status": "ok", "transport": eventSub.transport] }
                        return [
                            "status": eventSub.ready == eventSub.sessions ? "ok" : "degraded", "transport": eventSub.transport,
                            "sessions": eventSub.sessions, "subscribedSessions": eventSub.ready, "elsewhere": eventSub.elsewhere,
                        ]
                    } ?? ["status": "disabled"],
                ] as [String: Any],
            ]
            return Self.json(.ok, body)
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
