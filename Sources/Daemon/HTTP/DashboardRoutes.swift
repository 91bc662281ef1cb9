import Foundation
import HTTPTypes
import Hummingbird
import OverlayFeed

/// `GET /dashboard`: the GM dashboard page. The page itself is public, like any login form; every call it makes to
/// `/api/v1` carries the API key the GM types in, which never reaches the server in a URL.
struct DashboardRoutes: Sendable {
    func register(on router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, _ in
            var headers: HTTPFields = [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-cache",
                .eTag: DashboardPage.etag,
                .init("Referrer-Policy")!: "no-referrer",
                .init("X-Content-Type-Options")!: "nosniff",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
                    + "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'",
            ]
            let tags = request.headers[.ifNoneMatch]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            if tags.contains(DashboardPage.etag) {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
        }
    }
}
