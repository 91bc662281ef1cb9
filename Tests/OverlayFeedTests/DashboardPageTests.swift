import Foundation
import Testing

@testable import OverlayFeed

/// The embedded GM dashboard: the same bytes as dashboard.html, the ids the browser test uses, nothing external, no
/// `innerHTML` with data.
@Suite struct DashboardPageTests {
    /// Sources/OverlayFeed/Page/dashboard.html, found from this file's path.
    static var pageURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OverlayFeed/Page/dashboard.html")
    }

    @Test("the embedded dashboard is dashboard.html byte for byte (run make pages after editing it)")
    func embeddedMatchesFile() throws {
        let file = try Data(contentsOf: Self.pageURL)
        #expect(Array(DashboardPage.html.utf8) == Array(file))
        #expect(DashboardPage.etag == OverlayPage.etag(for: DashboardPage.html))
    }

    @Test("the dashboard carries the ids of its DOM contract")
    func domContract() {
        let ids = [
            "api-key", "api-key-save", "api-key-error", "api-key-forget", "channels", "start-form", "poll-title", "poll-options",
            "poll-duration", "poll-rule", "poll-start", "start-error", "polls", "poll", "poll-title-view", "poll-countdown",
            "poll-total", "poll-tally", "poll-channels", "poll-end", "poll-cancel", "stream-status",
        ]
        for id in ids {
            #expect(DashboardPage.html.contains("id=\"\(id)\""), "missing id \(id)")
        }
        #expect(DashboardPage.html.contains("sessionStorage"))
        #expect(DashboardPage.html.contains("Last-Event-ID"))
    }

    @Test("the dashboard loads nothing from elsewhere and never writes HTML from strings")
    func noExternalAssetsNoInnerHTML() {
        let html = DashboardPage.html.lowercased()
        for needle in ["http://", "https://", "src=", "@import", "//cdn", "innerhtml", "eval(", "document.write"] {
            #expect(!html.contains(needle), "the page contains \(needle)")
        }
        // CSS `url(…)` is lower case; the script's `URL(` constructor is not.
        #expect(!DashboardPage.html.contains("url("))
    }
}
