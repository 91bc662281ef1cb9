import Foundation
import NIOHTTP1
import TestSupport
import Testing
import TwitchSimulator

/// The GM dashboard in headless Chromium against the real daemon: the key from the URL fragment, the channels, a poll
/// started from the form, watched live (total and per-channel breakdown), ended with the button; then one cancelled.
@Suite struct DashboardBrowserTests {
    /// The text of the first element matching `selector`.
    static func text(_ page: BrowserPage, _ selector: String) async throws -> String? {
        try await page.evaluate("document.querySelector(\(Self.quoted(selector)))?.textContent ?? null") as? String
    }

    /// `text` as a JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "''"
    }

    /// Fills the start form and submits it.
    static func start(_ page: BrowserPage, title: String, options: [String]) async throws {
        _ = try await page.evaluate(
            """
            (() => {
              document.querySelector('#poll-title').value = \(Self.quoted(title));
              document.querySelector('#poll-options').value = \(Self.quoted(options.joined(separator: "\n")));
              document.querySelector('#poll-duration').value = '120';
              document.querySelector('#poll-start').click();
              return true;
            })()
            """
        )
    }

    @Test("dashboard in Chromium: key from #key=, channels listed, a poll started from the form, watched live, ended; another cancelled")
    func dashboard() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            for login in ["alpha_gm", "bravo_gm"] {
                #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": login]).status == 201)
            }
            let served = try await harness.anonymous("GET", "/dashboard")
            #expect(served.status == 200)
            #expect(served.headers["Content-Security-Policy"].first?.contains("frame-ancestors 'none'") == true)
            let etag = try #require(served.headers["ETag"].first)
            #expect(try await harness.request("GET", "/dashboard", headers: ["If-None-Match": etag], key: .none).status == 304)
            try await simulator.waitForJoined(["alpha_gm", "bravo_gm"], timeout: .seconds(30))

            let url = harness.base + "/dashboard#key=" + harness.apiKey
            try await HeadlessBrowser.withPage(url: url, width: 1440, height: 900, logger: TestServices.quietLogger) { page in
                // The key left the address bar; the channels are listed with their overlay links.
                try await page.waitUntil("document.querySelectorAll('#channels li[data-login]').length === 2", timeout: .seconds(30))
                #expect(try await page.evaluate("location.hash") as? String == "")
                #expect(try await page.evaluate("document.querySelectorAll('#channels a.overlay').length") as? Int == 2)

                try await Self.start(page, title: "Storm the keep?", options: ["Storm", "Wait"])
                try await page.waitUntil("document.querySelector('#poll').dataset.status === 'running'", timeout: .seconds(30))
                let id = try #require(try await page.evaluate("document.querySelector('#poll').dataset.pollId") as? String)
                #expect(try await Self.text(page, "#poll-title-view") == "Storm the keep?")

                // Votes: alpha 2 × Storm, bravo 1 × Wait.
                await simulator.privmsg(SimulatedMessage(userID: "d1", login: "d1", text: "!1"), in: "alpha_gm")
                await simulator.privmsg(SimulatedMessage(userID: "d2", login: "d2", text: "!1"), in: "alpha_gm")
                await simulator.privmsg(SimulatedMessage(userID: "d3", login: "d3", text: "!2"), in: "bravo_gm")
                try await page.waitUntil("document.querySelector('#poll-total').textContent === '3'", timeout: .seconds(30))
                let alphaRow = try await page.evaluate(
                    "[...document.querySelectorAll('#poll-channels tr[data-login=\"alpha_gm\"] td')].map(td => td.textContent).join('|')"
                )
                #expect(alphaRow as? String == "alpha_gm|2|0|2")
                #expect(try await Self.text(page, "#poll-tally tr.option[data-index='0'] .percent") == "66.7%")
                try await page.screenshot(to: OverlayBrowserTests.artifacts + "/dashboard-running.png")

                // End now from the button: the page shows the final result with the winner.
                _ = try await page.evaluate("document.querySelector('#poll-end').click(), true")
                try await page.waitUntil("document.querySelector('#poll').dataset.status === 'ended'", timeout: .seconds(30))
                try await page.waitUntil("document.querySelector('#poll-tally tr.option[data-index=\"0\"]').classList.contains('winner')")
                let ended = try await harness.awaitPoll(id, "ended") { $0["status"] as? String == "ended" }
                #expect(ended.totalVotes == 3)
                try await page.screenshot(to: OverlayBrowserTests.artifacts + "/dashboard-ended.png")

                // Another poll, cancelled with the two-click button.
                try await Self.start(page, title: "Cancel me", options: ["A", "B"])
                try await page.waitUntil(
                    "document.querySelector('#poll').dataset.status === 'running' && document.querySelector('#poll').dataset.pollId !== '\(id)'",
                    timeout: .seconds(30)
                )
                _ = try await page.evaluate("document.querySelector('#poll-cancel').click(), true")
                try await page.waitUntil("document.querySelector('#poll-cancel').dataset.armed === 'true'")
                _ = try await page.evaluate("document.querySelector('#poll-cancel').click(), true")
                try await page.waitUntil("document.querySelector('#poll').dataset.status === 'cancelled'", timeout: .seconds(30))
                try await page.waitUntil("document.querySelector('#polls li[data-status=\"cancelled\"]') !== null", timeout: .seconds(30))
            }
            try await harness.stop()
        }
    }
}
