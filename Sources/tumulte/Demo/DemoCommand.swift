import ArgumentParser
import Daemon
import Foundation
import Logging
import NIOCore
import NIOPosix
import Storage
import TwitchSimulator

/// `tumulte demo`: the daemon against an in-process Twitch simulator, with simulated viewers and a poll every minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run tumulte against a simulated Twitch: viewers chat and vote, a poll starts every minute.",
        discussion: """
            Needs PostgreSQL and Redis like `tumulte serve` (`make demo` starts both from .local/ and runs this). \
            The demo creates an API key and the channels tavern_tales, dungeon_den and dragon_keep, then prints \
            each channel's overlay URL, the GM dashboard URL, the key, and commands to try. Any other daemon \
            setting can follow as a flag, as for `tumulte serve` (e.g. --db-port 15432). Ctrl-C stops everything; \
            the data stays.
            """
    )

    /// The demo's channels.
    static let channels = ["tavern_tales", "dungeon_den", "dragon_keep"]
    /// The demo channel that is a Twitch affiliate: it connects its account and runs native Twitch polls.
    static let nativeChannel = "dragon_keep"

    @Option(help: ArgumentHelp("The daemon's HTTP port (default: PORT, else 3333).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("How many simulated viewers chat, 1 to 100000.", valueName: "count"))
    var viewers = 300

    @Option(help: ArgumentHelp("Chat messages per second across the channels, 1 to 5000; tripled in a poll's last 10 s.", valueName: "messages"))
    var rate = 30

    @Option(help: ArgumentHelp("Seconds from one poll start to the next, 20 to 3600.", valueName: "seconds"))
    var pollEvery = 60

    @Option(help: ArgumentHelp("Each poll's voting time in seconds, 15 to 1800, at least 5 less than --poll-every.", valueName: "seconds"))
    var pollDuration = 45

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func validate() throws {
        guard (1...100_000).contains(self.viewers) else { throw ValidationError("--viewers must be from 1 to 100000") }
        guard (1...5_000).contains(self.rate) else { throw ValidationError("--rate must be from 1 to 5000") }
        guard (20...3_600).contains(self.pollEvery) else { throw ValidationError("--poll-every must be from 20 to 3600") }
        guard (15...1_800).contains(self.pollDuration), self.pollDuration <= self.pollEvery - 5 else {
            throw ValidationError("--poll-duration must be from 15 to 1800 and at least 5 less than --poll-every")
        }
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() async throws {
        var settings = self.settings
        if let port { settings += ["--port", "\(port)"] }
        // The demo's own lines are what matter; the daemon's request log would bury them.
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil, !settings.contains(where: { $0.hasPrefix("--log-level") }) {
            settings += ["--log-level", "warning"]
        }
        let environment = try await CommandEnvironment.load(settings: settings)
        var configuration = environment.configuration
        guard configuration.environment != .production else {
            FileHandle.standardError.write(Data("tumulte demo: refusing to run with APP_ENV=production; it adds demo channels and an API key\n".utf8))
            throw ExitCode(64)
        }
        let http = configuration.http
        guard await Self.isFree(host: http.host, port: http.port) else {
            FileHandle.standardError.write(
                Data("tumulte demo: port \(http.port) is already in use on \(http.host); pass --port with a free one\n".utf8)
            )
            throw ExitCode(69)
        }

        try await environment.runReportingErrors {
            let created = try await environment.withDatabase { client in
                try await APIKeyStore(client: client, logger: environment.logger).create(name: "demo")
            }
            var simulatorLogger = environment.logger
            simulatorLogger.logLevel = max(environment.logger.logLevel, .warning)
            let simulator = IRCSimulator(logger: simulatorLogger)
            // OAuth, Helix and EventSub for the affiliate channel, with a throwaway application.
            let api = TwitchAPISimulator(clientID: "tumulte-demo", clientSecret: UUID().uuidString, logger: simulatorLogger)
            for login in Self.channels {
                api.addUser(login: login, displayName: login, broadcasterType: login == Self.nativeChannel ? "affiliate" : "")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await simulator.run() }
                group.addTask { try await api.run() }
                let simulatorPort = await simulator.boundPort()
                let apiPort = await api.boundPort()
                guard simulatorPort != 0, apiPort != 0 else {
                    try await group.next()  // The simulator's own error says why it could not listen.
                    throw DemoError("the Twitch simulator could not listen on a loopback port")
                }
                configuration.twitch.ircURL = "ws://127.0.0.1:\(simulatorPort)"
                configuration.twitch.clientID = "tumulte-demo"
                configuration.twitch.clientSecret = api.clientSecret
                configuration.twitch.authURL = api.authURL
                configuration.twitch.apiURL = api.helixURL
                configuration.twitch.eventSubURL = api.eventSubURL
                configuration.twitch.redirectURI = nil
                configuration.eventSub.transport = .websocket
                let driver = DemoDriver(
                    settings: .init(
                        viewers: self.viewers,
                        rate: self.rate,
                        pollEvery: .seconds(self.pollEvery),
                        pollDuration: self.pollDuration,
                        channels: Self.channels
                    ),
                    simulator: simulator,
                    api: api,
                    nativeChannel: Self.nativeChannel,
                    baseURL: Self.loopbackURL(host: http.host, port: http.port),
                    publicURL: configuration.publicBaseURL,
                    apiKey: created.key,
                    logger: environment.logger
                )
                try await TumulteServer(
                    configuration: configuration,
                    registry: environment.registry,
                    logger: environment.logger,
                    companions: [driver]
                ).run()
                group.cancelAll()
            }
        }
    }

    /// Whether a listener can bind `host:port` now.
    private static func isFree(host: String, port: Int) async -> Bool {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port)
                .get()
            try await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// The URL the demo's own requests use: loopback when the daemon listens on every interface.
    private static func loopbackURL(host: String, port: Int) -> String {
        let target = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
        return "http://\(target):\(port)"
    }
}
