/// The GM dashboard served at `GET /dashboard`: one self-contained HTML page that asks for an API key once (kept in
/// `sessionStorage`), lists channels and polls, starts a poll, follows it over the GM event stream and ends or
/// cancels it. Everything it shows comes from the GM API of the same origin.
public enum DashboardPage {
    /// The page's HTML.
    public static let html = DashboardPageDocument.html

    /// The page's strong ETag.
    public static let etag = OverlayPage.etag(for: DashboardPageDocument.html)
}
