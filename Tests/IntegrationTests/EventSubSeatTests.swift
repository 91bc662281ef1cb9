import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import TwitchSimulator

/// Several daemons and one channel's EventSub sessions (DESIGN §5): each session is held under a seat lease in
/// Redis, two per channel, so Twitch's limit of 3 sessions per token (ES-10) is never reached however many
/// daemons run, and a daemon that stops hands its seat to a waiting one.
@Suite struct EventSubSeatTests {
    /// The `services.eventSub` object of a daemon's `/health`.
    static func eventSub(_ base: String) async throws -> [String: Any] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        return ((json?["services"] as? [String: Any])?["eventSub"] as? [String: Any]) ?? [:]
    }

    @Test("ES-10: three daemons hold two EventSub sessions for a channel; a holder that stops gives its seat to the third")
    func twoSeats() async throws {
        try await TwitchConnectTests.withConnectableDaemon { harness, api, _ in
            #expect(try await harness.request("POST", "/api/v1/channels", json: ["login": "alpha_gm"]).status == 201)
            let browser = TwitchBrowser()
            #expect(try await TwitchConnectTests.connect("alpha_gm", harness: harness, api: api, browser: browser).status == 200)
            await browser.close()
            let enabled = { api.subscriptions(of: "alpha_gm").filter { $0.status == "enabled" }.count }

            // A (connected the channel) and B each take a seat and subscribe.
            let second = try await harness.startSecondDaemon()
            try await harness.eventually(within: .seconds(30), "A and B to subscribe") {
                api.openEventSubSockets == 2 && enabled() == 6
            }
            // C finds both seats taken and leaves the channel to them.
            let third = try await harness.startSecondDaemon()
            try await harness.eventually(within: .seconds(30), "C to see alpha's seats taken") {
                try await Self.eventSub(third.base)["elsewhere"] as? Int == 1
            }
            #expect(try await Self.eventSub(third.base)["sessions"] as? Int == 0)
            #expect(api.openEventSubSockets == 2)

            // A stops: it gives its seat back, and C takes it at its next pass, while B keeps its own.
            harness.daemon.send(SIGTERM)
            #expect(try await harness.daemon.waitForExit(timeout: .seconds(15)) == 0)
            try await harness.eventually(within: .seconds(30), "C to take A's seat") {
                let health = try await Self.eventSub(third.base)
                return health["subscribedSessions"] as? Int == 1 && health["elsewhere"] as? Int == 0
            }
            #expect(api.openEventSubSockets == 2)
            #expect(try await Self.eventSub(second.base)["sessions"] as? Int == 1)

            for daemon in [second.process, third.process] {
                daemon.send(SIGTERM)
                #expect(try await daemon.waitForExit(timeout: .seconds(15)) == 0)
            }
        }
    }
}
