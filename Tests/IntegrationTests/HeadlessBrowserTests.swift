import Foundation
import TestSupport
import Testing

/// The browser driver the overlay tests use: a page loads, its DOM is read with JavaScript, a screenshot is a PNG.
@Suite struct HeadlessBrowserTests {
    @Test("headless Chromium over DevTools: evaluate reads the DOM, waitUntil sees a change, screenshot writes a PNG")
    func driver() async throws {
        let html = "<main id=x data-state=idle>hello</main><script>setTimeout(() => x.dataset.state = 'running', 200)</script>"
        let url = "data:text/html;base64," + Data(html.utf8).base64EncodedString()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-browser-\(UUID().uuidString.prefix(8)).png").path
        try await HeadlessBrowser.withPage(url: url, width: 640, height: 360, logger: TestServices.quietLogger) { page in
            try await page.waitUntil("document.getElementById('x') !== null")
            #expect(try await page.evaluate("document.getElementById('x').textContent") as? String == "hello")
            try await page.waitUntil("document.getElementById('x').dataset.state === 'running'")
            try await page.screenshot(to: path)
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        try? FileManager.default.removeItem(atPath: path)
    }
}
