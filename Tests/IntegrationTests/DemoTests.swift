import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import TestSupport
import Testing

/// `tumulte demo` as a user runs it: help, a busy port, and a whole run that prints its URLs, shows a running poll in
/// the overlay and persists a voted-on result in PostgreSQL.
@Suite struct DemoTests {
    @Test("tumulte demo --help documents every flag")
    func help() async throws {
        let process = try TumulteBinary.start(["demo", "--help"], environment: [:])
        #expect(try await process.waitForExit(timeout: .seconds(30)) == 0)
        await process.waitForOutputEnd()
        let help = process.output.joined(separator: "\n")
        for flag in ["--port", "--viewers", "--rate", "--poll-every", "--poll-duration"] {
            #expect(help.contains(flag), "\(flag) is not in the help")
        }
    }

    @Test("tumulte demo on a port already in use exits 69 with one line naming the port")
    func portInUse() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(listener.localAddress?.port)
        let process = try TumulteBinary.start(["demo", "--port", "\(port)"], environment: ["HOST": "127.0.0.1"])
        #expect(try await process.waitForExit(timeout: .seconds(30)) == 69)
        await process.waitForOutputEnd()
        let lines = process.output.filter { !$0.isEmpty }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("port \(port) is already in use") == true)
        try await listener.close()
    }

    @Test("a demo run: ready with overlay and dashboard URLs; the overlay shows the running poll; a voted result reaches PostgreSQL")
    func demoRun() async throws {
        let database = try await PollHarness.createSharedDatabase()
        let redis = try await RedisServerProcess()
        let port = try freeLoopbackPort()
        var environment = [
            "APP_ENV": "development", "HOST": "127.0.0.1", "DB_HOST": database.host, "DB_PORT": "\(database.port)",
            "DB_USER": database.user, "DB_DATABASE": database.name, "DB_SSL": "false", "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": "\(redis.port)",
        ]
        if let password = database.password { environment["DB_PASSWORD"] = password }
        let demo = try TumulteBinary.start(
            ["demo", "--port", "\(port)", "--poll-every", "20", "--poll-duration", "15", "--viewers", "60", "--rate", "40"],
            environment: environment
        )
        do {
            try await demo.waitForLine(timeout: .seconds(90)) { $0.contains("tumulte demo is ready") }
            let overlay = try await demo.waitForLine { $0.contains("tavern_tales") && $0.contains("/overlay/") }
            let overlayURL = try #require(overlay.split(separator: " ").last.map(String.init))
            let dashboard = try await demo.waitForLine { $0.contains("/dashboard#key=") }
            #expect(dashboard.contains("http://127.0.0.1:\(port)/dashboard#key=tml_"))
            try await demo.waitForLine { $0.contains("API key:") && $0.contains("tml_") }

            try await HeadlessBrowser.withPage(url: overlayURL, logger: TestServices.quietLogger) { page in
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'running'", timeout: .seconds(30))
                try await page.waitUntil(
                    "[...document.querySelectorAll('#tumulte-options .count')].some(e => Number(e.textContent) > 0)",
                    timeout: .seconds(30)
                )
                #expect((try await page.evaluate("document.querySelector('#tumulte-title').textContent") as? String)?.isEmpty == false)
                // Fully faded in, over a dark backdrop like a stream scene (the page itself is transparent): the
                // README's picture (docs/img/overlay.png) is this screenshot.
                try await page.waitUntil("getComputedStyle(document.querySelector('#tumulte-overlay .card')).opacity === '1'")
                _ = try await page.evaluate("document.documentElement.style.background = '#20242e', true")
                try await page.screenshot(to: OverlayBrowserTests.artifacts + "/demo-running.png")
            }

            // The first poll ends 15 s after it starts (plus the 2 s grace); its result is in PostgreSQL.
            try await demo.waitForLine(timeout: .seconds(90)) { $0.hasPrefix("poll 1 ended") }
            let totals = try await PollHarness.withDatabase(database) { client in
                var totals: [Int] = []
                for try await total in try await client.query(
                    "SELECT total_votes FROM polls WHERE status = 'ended'",
                    logger: TestServices.quietLogger
                )
                .decode(Int.self) {
                    totals.append(total)
                }
                return totals
            }
            #expect(totals.count >= 1)
            #expect(totals.allSatisfy { $0 > 0 }, "\(totals)")
            // The affiliate channel ran Twitch's own poll, counted from its EventSub progress events.
            let native = try await PollHarness.withDatabase(database) { client in
                var rows: [String] = []
                for try await (mode, total, twitchPoll) in try await client.query(
                    """
                    SELECT pc.mode, pc.total_votes, pc.twitch_poll_id FROM poll_channels pc JOIN channels c ON c.id = pc.channel_id
                    JOIN polls p ON p.id = pc.poll_id WHERE c.login = 'dragon_keep' AND p.status = 'ended'
                    """,
                    logger: TestServices.quietLogger
                )
                .decode((String, Int?, String?).self) {
                    rows.append("\(mode)|\((total ?? 0) > 0)|\(twitchPoll != nil)")
                }
                return rows
            }
            #expect(native.first == "native|true|true", "\(native)")

            demo.send(SIGINT)
            #expect(try await demo.waitForExit(timeout: .seconds(20)) == 0)
        } catch {
            demo.send(SIGKILL)
            Issue.record(Comment(rawValue: "demo output:\n" + demo.output.suffix(40).joined(separator: "\n")))
            throw error
        }
        try await redis.stop()
        try await PollHarness.dropSharedDatabase(database)
    }
}
