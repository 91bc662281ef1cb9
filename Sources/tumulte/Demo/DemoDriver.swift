import AsyncHTTPClient
import Foundation
import GMClient
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TwitchSimulator

/// What `tumulte demo` does beside the daemon: once the daemon answers, it adds the demo channels, prints where to
/// look, then starts a poll every `pollEvery` while simulated viewers chat and vote through the simulator.
///
/// It is a companion service of the daemon's group: Ctrl-C stops it first, while the daemon still answers.
struct DemoDriver: Service {
    /// The demo's knobs (see `tumulte demo --help`).
    struct Settings: Sendable {
        /// Simulated viewers.
        var viewers: Int
        /// Chat messages per second across all channels (tripled in the last 10 s of a poll).
        var rate: Int
        /// Time between two poll starts.
        var pollEvery: Duration
        /// Each poll's voting time in seconds.
        var pollDuration: Int
        /// The channels the demo adds and polls.
        var channels: [String]
    }

    /// The poll the viewers vote in, shared by the poll loop and the chat loop.
    private final class Current: Sendable {
        struct Poll: Sendable {
            var serial: Int
            var optionCount: Int
            var endsAt: ContinuousClock.Instant
        }
        let poll = Mutex<Poll?>(nil)
    }

    let settings: Settings
    let simulator: IRCSimulator
    /// OAuth, Helix and EventSub.
    let api: TwitchAPISimulator
    /// The affiliate channel, which connects its account and runs native polls.
    let nativeChannel: String
    /// Where the driver reaches the daemon (a loopback URL).
    let baseURL: String
    /// Where a person reaches the daemon (`PUBLIC_URL`).
    let publicURL: String
    let apiKey: String
    let logger: Logger

    /// Runs until the daemon shuts down.
    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.drive()
            }
        } catch {
            // Errors of requests and sleeps cut short by Ctrl-C are the shutdown, not a failure.
            let shuttingDown = Task.isShuttingDownGracefully
            if Task.isCancelled || shuttingDown { return }
            throw error
        }
    }

    private func drive() async throws {
        try await self.waitUntilReady()
        let client = GMAPIClient(server: try GMServer(baseURL: self.baseURL, apiKey: self.apiKey), httpClient: .shared)
        for login in self.settings.channels {
            _ = try await client.addChannel(login: login)
        }
        let listed = try await client.listChannels().value().channels
        let overlays = self.settings.channels.map { login in (login, listed.first { $0.login == login }?.overlayUrl ?? "?") }
        try await self.simulator.waitForJoined(Set(self.settings.channels), timeout: .seconds(60))
        try await self.connectNativeChannel()
        DemoOutput.banner(
            overlays: overlays,
            nativeChannel: self.nativeChannel,
            publicURL: self.publicURL,
            apiKey: self.apiKey,
            settings: self.settings
        )

        let current = Current()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.chat(current) }
            group.addTask { try await self.polls(client, current) }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Connects the affiliate channel's Twitch account the way a streamer's browser would (daemon → Twitch consent
    /// → callback), then waits until its EventSub session is subscribed, so the first poll there is native.
    private func connectNativeChannel() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let browser = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = browser.shutdown() }
        self.api.authorizeNext(as: self.nativeChannel)
        let start = try await browser.execute(HTTPClientRequest(url: self.baseURL + "/auth/twitch"), timeout: .seconds(10))
        guard let authorize = start.headers.first(name: "Location"), let cookie = start.headers.first(name: "Set-Cookie") else {
            throw DemoError("the daemon did not start the Twitch connection of \(self.nativeChannel) (\(start.status.code))")
        }
        let consent = try await browser.execute(HTTPClientRequest(url: authorize), timeout: .seconds(10))
        guard let callback = consent.headers.first(name: "Location") else {
            throw DemoError("the simulated Twitch did not send \(self.nativeChannel) back to the daemon")
        }
        var request = HTTPClientRequest(url: callback)
        request.headers.add(name: "Cookie", value: String(cookie.split(separator: ";")[0]))
        let done = try await browser.execute(request, timeout: .seconds(10))
        guard done.status == .ok else { throw DemoError("connecting \(self.nativeChannel) to Twitch failed (\(done.status.code))") }
        let deadline = ContinuousClock.now + .seconds(30)
        while self.api.subscriptions(of: self.nativeChannel).filter({ $0.status == "enabled" }).count < 3 {
            guard ContinuousClock.now < deadline else { throw DemoError("\(self.nativeChannel)'s EventSub session did not come up") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls `/health/ready` until the daemon's PostgreSQL and Redis answer (at most two minutes).
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            let request = HTTPClientRequest(url: self.baseURL + "/health/ready")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok {
                return
            }
            guard ContinuousClock.now < deadline else { throw DemoError("the daemon did not become ready within 2 minutes") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Starts the questions in turn, one every `pollEvery`, and prints each result.
    private func polls(_ client: GMAPIClient, _ current: Current) async throws {
        var serial = 0
        while true {
            let started = ContinuousClock.now
            let question = DemoScript.questions[serial % DemoScript.questions.count]
            serial += 1
            let draft = PollDraft(
                title: question.title,
                options: question.options,
                durationSeconds: self.settings.pollDuration,
                channels: self.settings.channels
            )
            do {
                let poll = try await client.startPoll(draft).value()
                let endsAt = started + .seconds(self.settings.pollDuration)
                current.poll.withLock { $0 = .init(serial: serial, optionCount: question.options.count, endsAt: endsAt) }
                DemoOutput.line("poll \(serial) started: \(question.title) (\(self.settings.pollDuration) s)")
                try await Task.sleep(until: endsAt)
                current.poll.withLock { $0 = nil }
                DemoOutput.result(serial: serial, poll: try await self.final(poll.id, client))
            } catch let error as GMClientError {
                self.logger.warning("demo poll failed", metadata: ["demo.error": "\(error)"])
                DemoOutput.line("poll \(serial): \(error.message)")
            }
            try await Task.sleep(until: started + self.settings.pollEvery)
        }
    }

    /// The poll once the daemon has written its result (the 2 s grace and the write come after `endsAt`), or as it
    /// is after 30 s.
    private func final(_ id: String, _ client: GMAPIClient) async throws -> Poll {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let poll = try await client.poll(id: id).value()
            if ["ended", "cancelled"].contains(poll.status) || ContinuousClock.now >= deadline { return poll }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Sends the viewers' messages every 100 ms at the configured rate.
    private func chat(_ current: Current) async throws {
        var audience = DemoAudience(count: self.settings.viewers, channels: self.settings.channels, nativeChannels: [self.nativeChannel])
        var taste: DemoAudience.Poll?
        var serial = 0
        var owed = 0.0
        let tick = Duration.milliseconds(100)
        var next = ContinuousClock.now
        while true {
            // After a stall (a suspended laptop, a slow send) the ticks restart from now instead of catching up.
            next = max(next + tick, ContinuousClock.now)
            try await Task.sleep(until: next)
            let poll = current.poll.withLock { $0 }
            if let poll, poll.serial != serial {
                serial = poll.serial
                taste = audience.newPoll(optionCount: poll.optionCount)
            }
            let running = poll.map { ContinuousClock.now < $0.endsAt } ?? false
            let burst = poll.map { running && $0.endsAt - ContinuousClock.now < .seconds(10) } ?? false
            owed += Double(self.settings.rate) / 10 * (burst ? 3 : 1) * (running ? 1 : 0.3)
            let count = Int(owed)
            owed -= Double(count)
            guard count > 0 else { continue }
            let (chat, native) = audience.messages(count, poll: running ? taste : nil)
            await self.simulator.privmsgs(chat)
            for vote in native {
                self.api.vote(in: vote.channel, choice: vote.option, votes: 1, channelPointsVotes: vote.channelPoints)
            }
        }
    }
}

/// A demo setup failure, printed as one line.
struct DemoError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates the error.
    init(_ description: String) {
        self.description = description
    }
}
