import Foundation
import NIOHTTP1
import TestSupport
import Testing
import TwitchSimulator

/// The overlay page in headless Chromium against the real daemon: a poll across 2 channels on channel 1's overlay,
/// screenshots at start, mid-poll and end (kept under `.build/test-artifacts/overlay/`), the DOM checked at each step,
/// then a tie and a poll without votes.
@Suite struct OverlayBrowserTests {
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts/overlay").path

    /// The options as the page shows them: label, count, percent and classes.
    static func options(_ page: BrowserPage) async throws -> [[String: String]] {
        let json = try await page.evaluate(
            """
            JSON.stringify([...document.querySelectorAll('#tumulte-options li.option')].map(li => ({
              label: li.querySelector('.label').textContent, count: li.querySelector('.count').textContent,
              percent: li.querySelector('.percent').textContent, classes: li.className })))
            """
        )
        let text = try #require(json as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: String]])
    }

    static func startPoll(_ harness: PollHarness, title: String, options: [String]) async throws -> String {
        let started = try await harness.request(
            "POST",
            "/api/v1/polls",
            json: ["title": title, "options": options, "channels": ["alpha_gm", "bravo_gm"], "durationSeconds": 120]
        )
        try #require(started.status == 201, "\(started.body)")
        return try #require(started.json["id"] as? String)
    }

    @Test("overlay in Chromium: title, labels, counts, percentages and the winner; then a tie; then no votes")
    func overlayInBrowser() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let alpha = try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"])
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "bravo_gm"]).status == 201)
            let overlayURL = try #require(alpha.json["overlayUrl"] as? String)

            // The page itself: HTML with an ETag that revalidates to 304; unknown tokens get 404.
            let page = try await harness.anonymous("GET", String(overlayURL.dropFirst(harness.base.count)))
            #expect(page.status == 200)
            #expect(page.headers["Content-Type"].first?.hasPrefix("text/html") == true)
            #expect(page.headers["Referrer-Policy"].first == "no-referrer")
            let etag = try #require(page.headers["ETag"].first)
            let revalidated = try await harness.request(
                "GET",
                String(overlayURL.dropFirst(harness.base.count)),
                headers: ["If-None-Match": etag],
                key: .none
            )
            #expect(revalidated.status == 304)
            #expect(try await harness.anonymous("GET", "/overlay/AAAAAAAAAAAAAAAAAAAAAA").status == 404)
            try await simulator.waitForJoined(["alpha_gm", "bravo_gm"], timeout: .seconds(30))

            try await HeadlessBrowser.withPage(url: overlayURL + "?hideAfter=600", logger: TestServices.quietLogger) { page in
                try await page.waitUntil("document.querySelector('#tumulte-status')?.dataset.connected === 'true'", timeout: .seconds(30))

                // A winner.
                let first = try await Self.startPoll(harness, title: "What now?", options: ["Fight", "Flee", "Talk"])
                try await page.waitUntil(
                    "document.querySelector('#tumulte-overlay').dataset.pollId === '\(first)' && document.querySelector('#tumulte-overlay').dataset.state === 'running'"
                )
                #expect(try await page.evaluate("document.querySelector('#tumulte-title').textContent") as? String == "What now?")
                #expect(try await Self.options(page).map { $0["label"] } == ["Fight", "Flee", "Talk"])
                try await page.screenshot(to: Self.artifacts + "/1-start.png")

                for (index, option) in [1, 1, 2].enumerated() {
                    await simulator.privmsg(SimulatedMessage(userID: "a\(index)", login: "a\(index)", text: "!\(option)"), in: "alpha_gm")
                }
                await simulator.privmsg(SimulatedMessage(userID: "b0", login: "b0", text: "!1"), in: "bravo_gm")
                try await page.waitUntil("document.querySelector('#tumulte-options li.option .count').textContent === '3'")
                let mid = try await Self.options(page)
                #expect(mid.map { $0["count"] } == ["3", "1", "0"])
                #expect(mid.map { $0["percent"] } == ["75.0%", "25.0%", "0.0%"])
                try await page.screenshot(to: Self.artifacts + "/2-mid.png")

                #expect(try await harness.request("POST", "/api/v1/polls/\(first)/end").status == 200)
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'ended'")
                let ended = try await Self.options(page)
                #expect(ended[0]["classes"]?.contains("winner") == true)
                #expect(ended.dropFirst().allSatisfy { $0["classes"]?.contains("winner") == false })
                try await page.screenshot(to: Self.artifacts + "/3-end.png")

                // A tie.
                let second = try await Self.startPoll(harness, title: "Tie?", options: ["Left", "Right", "Back"])
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.pollId === '\(second)'")
                await simulator.privmsg(SimulatedMessage(userID: "t1", login: "t1", text: "!1"), in: "alpha_gm")
                await simulator.privmsg(SimulatedMessage(userID: "t2", login: "t2", text: "!2"), in: "bravo_gm")
                _ = try await harness.awaitPoll(second, "2 votes") { $0.totalVotes == 2 }
                #expect(try await harness.request("POST", "/api/v1/polls/\(second)/end").status == 200)
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'ended'")
                let tie = try await Self.options(page)
                #expect(tie.map { $0["classes"]?.contains("tie") == true } == [true, true, false])
                try await page.screenshot(to: Self.artifacts + "/4-tie.png")

                // Nobody votes.
                let third = try await Self.startPoll(harness, title: "Anyone?", options: ["Yes", "No"])
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.pollId === '\(third)'")
                #expect(try await harness.request("POST", "/api/v1/polls/\(third)/end").status == 200)
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'ended'")
                #expect(try await page.evaluate("document.querySelector('#tumulte-message').textContent") as? String == "No votes")
                #expect(try await Self.options(page).allSatisfy { $0["classes"]?.contains("winner") == false })
                try await page.screenshot(to: Self.artifacts + "/5-no-votes.png")
            }
            for name in ["1-start", "2-mid", "3-end", "4-tie", "5-no-votes"] {
                #expect(FileManager.default.fileExists(atPath: Self.artifacts + "/\(name).png"))
            }
            try await harness.stop()
        }
    }

    @Test("overlay in Chromium at 1280×720 with ?view=channel&theme=light: this channel's own counts, then 'Cancelled' on cancel")
    func channelViewAndCancel() async throws {
        try await PollLifecycleTests.withSimulator { simulator in
            let harness = try await PollHarness.start(simulator: simulator)
            let alpha = try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"])
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "bravo_gm"]).status == 201)
            let overlayURL = try #require(alpha.json["overlayUrl"] as? String)
            try await simulator.waitForJoined(["alpha_gm", "bravo_gm"], timeout: .seconds(30))

            let url = overlayURL + "?view=channel&theme=light&position=top&hideAfter=600"
            try await HeadlessBrowser.withPage(url: url, width: 1280, height: 720, logger: TestServices.quietLogger) { page in
                try await page.waitUntil("document.querySelector('#tumulte-status')?.dataset.connected === 'true'", timeout: .seconds(30))
                #expect(try await page.evaluate("document.querySelector('#tumulte-overlay').dataset.theme") as? String == "light")
                let id = try await Self.startPoll(harness, title: "Which door?", options: ["Red", "Blue"])
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'running'")

                // alpha: 1 Red, 1 Blue; bravo: 3 Blue. The aggregate would be 1 / 4; this overlay shows alpha's 1 / 1.
                await simulator.privmsg(SimulatedMessage(userID: "a1", login: "a1", text: "!1"), in: "alpha_gm")
                await simulator.privmsg(SimulatedMessage(userID: "a2", login: "a2", text: "!2"), in: "alpha_gm")
                for voter in 1...3 {
                    await simulator.privmsg(SimulatedMessage(userID: "b\(voter)", login: "b\(voter)", text: "!2"), in: "bravo_gm")
                }
                _ = try await harness.awaitPoll(id, "5 votes") { $0.totalVotes == 5 }
                try await page.waitUntil(
                    "[...document.querySelectorAll('#tumulte-options .count')].map(e => e.textContent).join() === '1,1'"
                )
                #expect(try await Self.options(page).map { $0["percent"] } == ["50.0%", "50.0%"])
                try await page.screenshot(to: Self.artifacts + "/6-channel-view-720p.png")

                #expect(try await harness.request("POST", "/api/v1/polls/\(id)/cancel").status == 200)
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'cancelled'")
                #expect(try await page.evaluate("document.querySelector('#tumulte-message').textContent") as? String == "Cancelled")
                #expect(try await Self.options(page).allSatisfy { $0["classes"]?.contains("winner") == false })
                try await page.screenshot(to: Self.artifacts + "/7-cancelled.png")
            }
            try await harness.stop()
        }
    }
}
