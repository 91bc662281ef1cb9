import Hummingbird
import OverlayFeed

/// `GET /dashboard`: the GM dashboard page. The page itself is public, like any login form; every call it makes to
/// `/api/v1` carries the API key the GM types in, which never reaches the server in a URL.
struct DashboardRoutes: Sendable {
    func register(on router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, _ in
            PageResponse.html(
                DashboardPage.html,
                etag: DashboardPage.etag,
                request: request,
                policyExtras: "; form-action 'none'; frame-ancestors 'none'"
            )
        }
    }
}
