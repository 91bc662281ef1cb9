import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import TwitchSimulator

/// The daemon behind nginx, configured with the deployment guide's own snippets: the site at the root and the
/// `location /tumulte/` of a shared site, with `PUBLIC_URL` under that prefix. Chromium drives the dashboard, the
/// overlay and the OAuth flow through the proxy, so event streams must arrive unbuffered and every URL the daemon
/// hands out must carry the prefix.
@Suite struct NginxProxyTests {
    /// The `nginx` executable: `NGINX`, else Debian's.
    static var executable: String { ProcessInfo.processInfo.environment["NGINX"] ?? "/usr/sbin/nginx" }

    /// The ```nginx blocks of `docs/deployment.md`, in order.
    static func documentedSnippets() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/deployment.md"), encoding: .utf8)
        return guide.components(separatedBy: "```nginx\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    /// A whole nginx configuration: the guide's site on `port` in front of the daemon on `upstream`, with the
    /// prefix `location` inside its `server` block, plus a stand-in for the GM's own web frontend on `frontendPort`
    /// (another origin), in one foreground process whose files stay in `directory`.
    static func configuration(port: Int, upstream: Int, frontendPort: Int, directory: String) throws -> String {
        let snippets = try Self.documentedSnippets()
        try #require(snippets.count == 2, "the deployment guide should hold the site and the prefix location")
        var site = snippets[0]
        for (documented, local) in [
            ("server 127.0.0.1:3333;", "server 127.0.0.1:\(upstream);"), ("listen 443 ssl http2;", "listen 127.0.0.1:\(port);"),
        ] {
            try #require(site.contains(documented), "the guide's site no longer says \(documented)")
            site = site.replacingOccurrences(of: documented, with: local)
        }
        let close = try #require(site.range(of: "}", options: .backwards))
        site.replaceSubrange(close, with: snippets[1] + "}")
        let paths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "    \($0)_temp_path \(directory)/\($0);" }
        return """
            daemon off;
            master_process off;
            pid \(directory)/nginx.pid;
            error_log stderr warn;
            events { worker_connections 256; }
            http {
            access_log off;
            \(paths.joined(separator: "\n"))
            \(site)
            server {
                listen 127.0.0.1:\(frontendPort);
                location / { default_type text/html; return 200 "<!doctype html><title>frontend</title>"; }
            }
            }

            """
    }

    @Test("behind nginx as the deployment guide says: dashboard under /tumulte/, overlay, live streams, CORS for FRONTEND_URL, OAuth")
    func behindNginx() async throws {
        let (port, frontendPort) = (try freeLoopbackPort(), try freeLoopbackPort())
        let prefix = "http://127.0.0.1:\(port)/tumulte"
        let frontend = "http://127.0.0.1:\(frontendPort)/app"
        try await TwitchConnectTests.withConnectableDaemon(settings: ["PUBLIC_URL": prefix, "FRONTEND_URL": frontend]) { harness, api, simulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try Self.configuration(port: port, upstream: harness.port, frontendPort: frontendPort, directory: directory)
                .write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
            let nginx = try ChildProcess(Self.executable, ["-e", "stderr", "-p", directory, "-c", directory + "/nginx.conf"])
            defer { nginx.send(SIGKILL) }
            do {
                try await harness.eventually(within: .seconds(20), "nginx to answer") {
                    let live = try? await HTTPClient.shared.execute(HTTPClientRequest(url: prefix + "/health/live"), timeout: .seconds(5))
                    return live?.status == .ok
                }
            } catch {
                Issue.record("nginx output:\n\(nginx.output.joined(separator: "\n"))")
                throw error
            }

            let alpha = try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"])
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "gamma_gm"]).status == 201)
            let overlayURL = try #require(alpha.json["overlayUrl"] as? String)
            // The URL handed out is under the prefix.
            #expect(overlayURL.hasPrefix(prefix + "/overlay/"))
            try await simulator.waitForJoined(["alpha_gm", "gamma_gm"], timeout: .seconds(30))

            try await HeadlessBrowser.withPage(
                url: prefix + "/dashboard#key=" + harness.apiKey,
                width: 1440,
                height: 900,
                logger: TestServices.quietLogger
            ) {
                page in
                // The dashboard calls the API beside itself, under the prefix, and reads the GM stream through nginx.
                try await page.waitUntil("document.querySelectorAll('#channels li[data-login]').length === 2", timeout: .seconds(30))
                try await DashboardBrowserTests.start(page, title: "Which door?", options: ["Left", "Right"])
                try await page.waitUntil("document.querySelector('#poll').dataset.status === 'running'", timeout: .seconds(30))
                let id = try #require(try await page.evaluate("document.querySelector('#poll').dataset.pollId") as? String)
                await simulator.privmsg(SimulatedMessage(userID: "n1", login: "n1", text: "!1"), in: "alpha_gm")
                await simulator.privmsg(SimulatedMessage(userID: "n2", login: "n2", text: "!2"), in: "gamma_gm")
                try await page.waitUntil("document.querySelector('#poll-total').textContent === '2'", timeout: .seconds(30))

                // The overlay through the site's `location /overlay/`: the running poll, then a vote arrives live.
                _ = try await page.command(
                    "Page.navigate",
                    ["url": "http://127.0.0.1:\(port)/overlay/" + overlayURL.dropFirst((prefix + "/overlay/").count)]
                )
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.pollId === '\(id)'", timeout: .seconds(30))
                try await page.waitUntil("[...document.querySelectorAll('#tumulte-options .count')].map(e => e.textContent).join() === '1,1'")
                await simulator.privmsg(SimulatedMessage(userID: "n3", login: "n3", text: "!1"), in: "alpha_gm")
                try await page.waitUntil("[...document.querySelectorAll('#tumulte-options .count')].map(e => e.textContent).join() === '2,1'")
                #expect(try await harness.request("POST", "/api/v1/polls/\(id)/end").status == 200)
                try await page.waitUntil("document.querySelector('#tumulte-overlay').dataset.state === 'ended'")

                // The GM's own frontend, on another origin (FRONTEND_URL), calls the API through the proxy: CORS lets it
                // read answers and errors, and send the preflighted POST of a poll start.
                _ = try await page.command("Page.navigate", ["url": frontend])
                try await page.waitUntil("document.title === 'frontend'")
                let calls = try await page.evaluate(
                    """
                    (async () => {
                      const api = '\(prefix)/api/v1', auth = { Authorization: 'Bearer \(harness.apiKey)' };
                      const who = await fetch(api + '/whoami', { headers: auth });
                      const denied = await fetch(api + '/whoami');
                      const started = await fetch(api + '/polls', {
                        method: 'POST',
                        headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'frontend-1' },
                        body: JSON.stringify({ title: 'From the frontend', options: ['Yes', 'No'], channels: ['gamma_gm'] }),
                      });
                      return [who.status, typeof (await who.json()).name, denied.status, (await denied.json()).error.code,
                              started.status, (await started.json()).status].join();
                    })()
                    """
                )
                #expect(calls as? String == "200,string,401,unauthorized,201,running")

                // OAuth under the prefix: the redirect comes back to the prefix, and the state cookie's path
                // matches it, or the callback would answer "Link expired"; then it returns to the frontend.
                api.authorizeNext(as: "alpha_gm")
                _ = try await page.command("Page.navigate", ["url": prefix + "/auth/twitch"])
                try await page.waitUntil("location.search.includes('connected=') || document.title === 'Link expired'", timeout: .seconds(30))
                #expect(try await page.evaluate("location.href") as? String == frontend + "?connected=alpha_gm")
            }
            let channels = try await harness.request("GET", "/api/v1/channels")
            let connected = (channels.json["channels"] as? [[String: Any]])?.first { $0["login"] as? String == "alpha_gm" }
            #expect(connected?["twitchUserId"] as? String == api.userID(of: "alpha_gm"))
        }
    }
}
