import Foundation
import Testing

@testable import OverlayFeed

/// The embedded overlay page: the same bytes as overlay.html, the DOM contract, no external asset, the channel
/// placeholder and the ETag.
@Suite struct OverlayPageTests {
    /// Sources/OverlayFeed/Page/overlay.html, found from this file's path.
    static var pageURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OverlayFeed/Page/overlay.html")
    }

    /// Every `id` the browser test relies on.
    static let contractIDs = [
        "tumulte-overlay", "tumulte-title", "tumulte-options", "tumulte-countdown", "tumulte-message", "tumulte-status",
    ]

    @Test("HTML escaping works by scalar: a quote followed by a combining mark is still escaped")
    func escaping() {
        #expect(OverlayPage.escapeHTML("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&#39;")
        #expect(OverlayPage.escapeHTML("\"\u{301} onload=x") == "&quot;\u{301} onload=x")
        #expect(OverlayPage.escapeHTML("<\u{338}script>") == "&lt;\u{338}script&gt;")
    }

    @Test("the embedded page is overlay.html byte for byte (run make pages after editing it)")
    func embeddedMatchesFile() throws {
        let file = try Data(contentsOf: Self.pageURL)
        #expect(Array(OverlayPageDocument.html.utf8) == Array(file))
        #expect(OverlayPageDocument.html.hasSuffix("</html>\n"))
    }

    @Test("the page carries every id, attribute and class of the DOM contract")
    func domContract() {
        let html = OverlayPageDocument.html
        for id in Self.contractIDs {
            #expect(html.contains("id=\"\(id)\""), "missing id \(id)")
        }
        #expect(html.contains("<main id=\"tumulte-overlay\" data-state=\"idle\" data-poll-id=\"\""))
        #expect(html.contains("<ol id=\"tumulte-options\">"))
        #expect(html.contains("data-connected=\"false\""))
        for name in ["'option'", "'label'", "'count'", "'percent'", "'bar'", "'winner'", "'tie'", "dataset.index"] {
            #expect(html.contains(name), "missing \(name)")
        }
        for text in ["'No votes'", "'Cancelled'", "new EventSource(", "'use strict';"] {
            #expect(html.contains(text), "missing \(text)")
        }
    }

    @Test("the page loads nothing from another host: no absolute URL, no src, href, @import or url()")
    func noExternalAssets() {
        let html = OverlayPageDocument.html.lowercased()
        for needle in ["http://", "https://", "src=", "href=", "@import", "url(", "<link", "//cdn"] {
            #expect(!html.contains(needle), "the page contains \(needle)")
        }
    }

    @Test("the placeholder appears once, in the channel meta tag, and is replaced by the login")
    func placeholder() {
        let template = OverlayPageDocument.html
        #expect(template.components(separatedBy: OverlayPage.channelPlaceholder).count == 2)
        #expect(template.contains("<meta name=\"tumulte-channel\" content=\"__TUMULTE_CHANNEL__\">"))
        let page = OverlayPage.html(channel: "streamer_one")
        #expect(page.contains("<meta name=\"tumulte-channel\" content=\"streamer_one\">"))
        #expect(!page.contains(OverlayPage.channelPlaceholder))
    }

    @Test("a hostile login is escaped and cannot leave the attribute")
    func hostileLogin() {
        let page = OverlayPage.html(channel: "\"><script>alert('x')</script>&")
        #expect(page.contains("content=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">"))
        #expect(!page.contains("\"><script>alert"))
        #expect(page.components(separatedBy: "<script>").count == 2)
    }

    @Test("the ETag is a quoted 16-digit FNV-1a 64 hash: stable for equal input, different per channel")
    func etag() {
        #expect(OverlayPage.etag(for: "") == "\"cbf29ce484222325\"")
        #expect(OverlayPage.etag(for: "a") == "\"af63dc4c8601ec8c\"")
        let one = OverlayPage.html(channel: "one")
        let tag = OverlayPage.etag(for: one)
        #expect(tag == OverlayPage.etag(for: OverlayPage.html(channel: "one")))
        #expect(tag != OverlayPage.etag(for: OverlayPage.html(channel: "two")))
        #expect(tag.count == 18 && tag.hasPrefix("\"") && tag.hasSuffix("\""))
        #expect(tag.dropFirst().dropLast().allSatisfy { "0123456789abcdef".contains($0) })
    }
}
