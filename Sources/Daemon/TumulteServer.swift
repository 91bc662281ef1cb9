import AsyncHTTPClient
import ChatBridge
import EventSub
import Hummingbird
public import Logging
import NIOSSL
import OverlayFeed
import PostgresNIO
public import Prometheus
import Redis
public import ServiceLifecycle
import Storage
import UnixSignals

/// The daemon: PostgreSQL, Redis and the HTTP server in one ServiceGroup, stopped gracefully by SIGTERM or SIGINT.
public struct TumulteServer: Sendable {
    /// How long a graceful shutdown may take before the remaining services are cancelled.
    public static let shutdownGracePeriod: Duration = .seconds(8)

    private let configuration: AppConfiguration
    private let logger: Logger
    private let registry: PrometheusCollectorRegistry
    private let companions: [any Service]

    /// Creates the daemon.
    /// - Parameters:
    ///   - configuration: The validated configuration, with its application key resolved.
    ///   - registry: The Prometheus registry the process's metrics factory writes to.
    ///   - logger: The root logger.
    ///   - companions: Services that run beside the daemon (`tumulte demo`'s driver): started after it, and shut
    ///     down before it, while its HTTP server still answers.
    public init(configuration: AppConfiguration, registry: PrometheusCollectorRegistry, logger: Logger, companions: [any Service] = []) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
        self.companions = companions
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func run() async throws {
        let postgres = PostgresClient(configuration: self.configuration.database.postgresConfiguration, backgroundLogger: self.logger)
        let redis = RedisClient(configuration: self.configuration.redis, logger: self.logger)
        let migration = DatabaseMigration(client: postgres, logger: self.logger)
        let store = TallyStore(redis: redis)
        var sinkConfiguration = VoteSink.Configuration()
        sinkConfiguration.queueLimit = self.configuration.voting.queueLimit
        let sink = VoteSink(store: store, configuration: sinkConfiguration, logger: self.logger)
        let registry = PollRegistry()
        let channels = ChannelStore(client: postgres, tokens: OverlayTokens(applicationKey: self.applicationKeyBytes), logger: self.logger)
        let pollStore = PollStore(client: postgres, logger: self.logger)
        let httpClient = try self.makeHTTPClient()
        let twitch = try self.twitchServices(
            httpClient: httpClient,
            postgres: postgres,
            redis: redis,
            channels: channels,
            polls: pollStore,
            store: store
        )
        // With a Twitch application, `BotChatLogin` decides the login (the bot, if one is connected) before any
        // connection opens, so channels are not joined anonymously and then again.
        let pool = ChatConnectionPool(
            configuration: .init(
                url: self.configuration.twitch.ircURL,
                login: twitch == nil ? .anonymous : .undecided,
                trustedCertificatesFile: self.configuration.twitch.caFile,
                joinLimit: ChatRateLimit(count: self.configuration.voting.joinLimit, period: .seconds(11))
            ),
            logger: self.logger
        )
        let botLogin = twitch.map { twitch in
            BotChatLogin(
                pool: pool,
                tokens: TwitchTokenStore(client: postgres, logger: self.logger),
                credentials: twitch.credentials,
                logger: self.logger
            )
        }
        let counter = VoteCounter(registry: registry, store: store, pool: pool)
        let coordinator = PollCoordinator(
            polls: pollStore,
            channels: channels,
            counter: counter,
            sink: sink,
            redis: redis,
            native: twitch?.native,
            logger: self.logger
        )
        let feedSource = PollFeedSource(coordinator: coordinator)
        var feedConfiguration = FeedHub.Configuration()
        feedConfiguration.coalesceInterval = .milliseconds(self.configuration.feed.coalesceMilliseconds)
        feedConfiguration.stallTimeout = .seconds(self.configuration.feed.stallSeconds)
        let feed = FeedHub(source: feedSource, configuration: feedConfiguration, logger: self.logger)
        let feedBridge = FeedBridge(
            hub: feed,
            source: feedSource,
            coordinator: coordinator,
            redis: redis,
            noticeChannel: store.noticeChannel,
            lifecycleChannel: coordinator.lifecycleChannel,
            logger: self.logger
        )
        let ingest = ChatIngestService(
            pool: pool,
            pipeline: ChatVotePipeline(registry: registry, sink: sink, moderation: self.configuration.voting.moderation, logger: self.logger)
        )
        let checker = HealthChecker(
            database: { migration.isApplied ? await Self.probe(postgres) : false },
            redis: { await Self.probe(redis) },
            twitchChat: { TwitchChatHealth(pool.status()) },
            twitchAccounts: { twitch?.credentials.channelsNeedingReauth },
            eventSub: { twitch?.native.health },
            bot: { botLogin?.bot }
        )
        var routerDependencies = RouterDependencies(
            health: checker,
            metrics: self.registry,
            metricsToken: self.configuration.metricsToken,
            apiKeys: OutageTolerantAPIKeys(base: APIKeyStore(client: postgres, logger: self.logger)),
            gm: GMDependencies(
                coordinator: coordinator,
                channels: channels,
                pollStartLimiter: RedisRateLimiter(redis: redis),
                publicBaseURL: self.configuration.publicBaseURL,
                feed: feed
            )
        )
        routerDependencies.twitch = twitch?.connect
        routerDependencies.twitch?.botConnected = { botLogin?.botChanged() }
        routerDependencies.frontendURL = self.configuration.frontendURL
        if let twitch, self.configuration.eventSub.transport == .webhook, let secret = self.configuration.eventSub.webhookSecret {
            routerDependencies.eventSubWebhook = EventSubWebhookDependencies(
                webhook: EventSubWebhook(secret: secret),
                redis: redis,
                native: twitch.native
            )
        }
        let router = buildRouter(dependencies: routerDependencies)
        var app = Application(
            router: router,
            configuration: .init(
                address: .hostname(self.configuration.http.host, port: self.configuration.http.port),
                serverName: "tumulte/\(TumulteVersion.current)"
            ),
            logger: self.logger
        )
        // Shutdown runs in reverse: chat stops first, then deadlines, then queued votes are flushed while Redis is still up.
        app.addServices(postgres, redis, migration, sink, coordinator, ingest, feed, feedBridge)
        if let twitch, let botLogin { app.addServices(twitch.credentials, twitch.native, botLogin) }

        var groupConfiguration = ServiceGroupConfiguration(
            // Companions come after the application, so they stop first, while its HTTP server still answers.
            services: [.init(service: app)] + self.companions.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: self.logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = Self.shutdownGracePeriod
        groupConfiguration.maximumCancellationDuration = .seconds(1)
        if !self.configuration.twitch.hasCredentials {
            self.logger.notice("no Twitch application configured: chat is read anonymously and native polls are off")
        }
        self.logger.info("starting", metadata: self.configuration.redactedMetadata.merging(["tumulte.version": "\(TumulteVersion.current)"]) { $1 })
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try? await httpClient.shutdown()
        self.logger.info("stopped")
    }

    /// The HTTP client for Twitch's OAuth and Helix APIs, trusting `TWITCH_CA_FILE` too when set.
    private func makeHTTPClient() throws -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        if let file = self.configuration.twitch.caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(file)]
            configuration.tlsConfiguration = tls
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The Twitch application, when one is configured; the redirect URI defaults to the public callback URL.
    var twitchApplication: TwitchApplication? {
        let twitch = self.configuration.twitch
        guard let clientID = twitch.clientID, let clientSecret = twitch.clientSecret else { return nil }
        return TwitchApplication(
            clientID: clientID,
            clientSecret: clientSecret,
            redirectURI: twitch.redirectURI ?? self.configuration.publicBaseURL + "/auth/twitch/callback",
            authURL: twitch.authURL,
            apiURL: twitch.apiURL
        )
    }

    /// The parts that act for connected Twitch accounts, when a Twitch application is configured.
    private func twitchServices(
        httpClient: HTTPClient,
        postgres: PostgresClient,
        redis: RedisClient,
        channels: ChannelStore,
        polls: PollStore,
        store: TallyStore
    ) throws -> (connect: TwitchConnectDependencies, credentials: TwitchCredentials, native: NativePolls)? {
        guard let application = self.twitchApplication, let key = self.configuration.appKey else { return nil }
        let vault = TwitchTokenVault(
            cipher: TwitchTokenVault.cipher(current: key, previous: self.configuration.previousAppKeys),
            store: TwitchTokenStore(client: postgres, logger: self.logger)
        )
        let oauth = TwitchOAuthClient(application: application, httpClient: httpClient)
        let credentials = TwitchCredentials(vault: vault, oauth: oauth, channels: channels, redis: redis, logger: self.logger)
        let helix = HelixClient(application: application, httpClient: httpClient)
        var tls: TLSConfiguration?
        if let file = self.configuration.twitch.caFile {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.additionalTrustRoots = [.file(file)]
            tls = configuration
        }
        let delivery: NativePolls.Delivery
        if self.configuration.eventSub.transport == .webhook, let callback = self.configuration.eventSub.callbackURL,
            let secret = self.configuration.eventSub.webhookSecret
        {
            delivery = .webhook(callback: callback, secret: secret)
        } else {
            delivery = .websocket(
                .init(
                    url: self.configuration.twitch.eventSubURL,
                    keepaliveSeconds: self.configuration.eventSub.keepaliveSeconds,
                    tlsConfiguration: tls
                )
            )
        }
        let native = NativePolls(
            helix: helix,
            oauth: oauth,
            credentials: credentials,
            channels: channels,
            polls: polls,
            store: store,
            delivery: delivery,
            seats: .init(lease: RedisLease(redis: redis)),
            logger: self.logger
        )
        let connect = TwitchConnectDependencies(
            connector: TwitchConnector(
                application: application,
                oauth: oauth,
                helix: helix,
                channels: channels,
                vault: vault,
                logger: self.logger
            ),
            states: OAuthState(
                applicationKey: key.bytes,
                driver: self.configuration.sessionDriver,
                redis: redis,
                secureCookie: self.configuration.publicBaseURL.hasPrefix("https://"),
                pathPrefix: self.configuration.publicPathPrefix
            ),
            frontendURL: self.configuration.frontendURL,
            publicBaseURL: self.configuration.publicBaseURL,
            connected: { native.channelsChanged() }
        )
        return (connect, credentials, native)
    }

    /// The application key's bytes (resolved before the server is built).
    private var applicationKeyBytes: [UInt8] {
        guard let key = self.configuration.appKey else {
            preconditionFailure("the application key is resolved (APP_KEY or the development key file) before the server starts")
        }
        return key.bytes
    }

    /// True when PostgreSQL answers `SELECT 1`.
    static func probe(_ postgres: PostgresClient) async -> Bool {
        do {
            try await postgres.query("SELECT 1")
            return true
        } catch {
            return false
        }
    }

    /// True when Redis answers `PING`.
    static func probe(_ redis: RedisClient) async -> Bool {
        (try? await redis.execute(RedisCommand("PING"))) != nil
    }
}
