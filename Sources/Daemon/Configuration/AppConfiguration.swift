public import Logging
public import Redis

/// Everything the daemon reads from its environment, validated once at start.
///
/// Built by ``AppConfiguration/init(reader:)`` from the environment, a `.env` file and `--flags`;
/// a bad value stops start-up with a ``ConfigurationError`` naming the variable.
public struct AppConfiguration: Sendable {
    /// The deployment environment (`APP_ENV`, alias `NODE_ENV`).
    public enum Environment: String, Sendable, CaseIterable {
        /// Local development: a key is generated and kept in the data folder.
        case development
        /// Production: `APP_KEY` is required.
        case production
        /// Automated tests.
        case test
    }

    /// How log lines are written (`LOG_FORMAT`).
    public enum LogFormat: String, Sendable, CaseIterable {
        /// Human-readable lines.
        case text
        /// One JSON object per line.
        case json
    }

    /// Where OAuth state lives between the redirect and the callback (`SESSION_DRIVER`).
    public enum SessionDriver: String, Sendable, CaseIterable {
        /// A signed, expiring cookie.
        case cookie
        /// A single-use Redis key.
        case redis
    }

    /// How EventSub notifications reach the daemon (`EVENTSUB_TRANSPORT`).
    public enum EventSubTransport: String, Sendable, CaseIterable {
        /// One WebSocket session per broadcaster token.
        case websocket
        /// Twitch posts to a public HTTPS callback.
        case webhook
    }

    /// TLS use towards PostgreSQL (`DB_SSL`).
    public enum DatabaseTLS: String, Sendable, CaseIterable {
        /// Never use TLS.
        case disable
        /// Use TLS when the server offers it.
        case prefer
        /// Refuse to connect without TLS.
        case require
    }

    /// The HTTP listener.
    public struct HTTP: Sendable, Equatable {
        /// Interface to bind (`HOST`).
        public var host = "localhost"
        /// TCP port (`PORT`).
        public var port = 3333
    }

    /// The PostgreSQL connection.
    public struct Database: Sendable, Equatable {
        /// Server host (`DB_HOST`).
        public var host = "localhost"
        /// Server port (`DB_PORT`).
        public var port = 5432
        /// Role (`DB_USER`).
        public var user = "postgres"
        /// Password (`DB_PASSWORD`); secret.
        public var password: String? = nil
        /// Database name (`DB_DATABASE`).
        public var database = "twitch_polls"
        /// TLS mode (`DB_SSL`).
        public var tls = DatabaseTLS.prefer
    }

    /// Twitch application credentials and endpoints (point the URLs at the simulator for local use).
    public struct Twitch: Sendable, Equatable {
        /// Application client id (`TWITCH_CLIENT_ID`).
        public var clientID: String? = nil
        /// Application client secret (`TWITCH_CLIENT_SECRET`); secret.
        public var clientSecret: String? = nil
        /// OAuth redirect URI registered with Twitch (`TWITCH_REDIRECT_URI`).
        public var redirectURI: String? = nil
        /// Chat endpoint (`TWITCH_IRC_URL`).
        public var ircURL = "wss://irc-ws.chat.twitch.tv:443"
        /// EventSub WebSocket endpoint (`TWITCH_EVENTSUB_URL`).
        public var eventSubURL = "wss://eventsub.wss.twitch.tv/ws"
        /// Helix base URL (`TWITCH_API_URL`).
        public var apiURL = "https://api.twitch.tv/helix"
        /// OAuth base URL (`TWITCH_AUTH_URL`).
        public var authURL = "https://id.twitch.tv/oauth2"
        /// Extra trusted CA certificate file in PEM (`TWITCH_CA_FILE`).
        public var caFile: String? = nil

        /// Whether an application is configured (otherwise chat is read anonymously and native polls are off).
        public var hasCredentials: Bool { self.clientID != nil && self.clientSecret != nil }
    }

    /// EventSub delivery.
    public struct EventSub: Sendable, Equatable {
        /// Transport (`EVENTSUB_TRANSPORT`).
        public var transport = EventSubTransport.websocket
        /// HMAC secret for webhooks (`EVENTSUB_WEBHOOK_SECRET`); secret.
        public var webhookSecret: String? = nil
        /// Public HTTPS callback for webhooks (`EVENTSUB_CALLBACK_URL`).
        public var callbackURL: String? = nil
        /// The keepalive timeout asked of WebSocket sessions, 10 to 600 s (`EVENTSUB_KEEPALIVE_SECONDS`); a silent
        /// session is dropped after 1.2 × it (ES-5).
        public var keepaliveSeconds = 30
    }

    /// Deployment environment.
    public var environment = Environment.development
    /// HTTP listener.
    public var http = HTTP()
    /// Application key; required in production, kept in the data folder in development.
    public var appKey: AppKey? = nil
    /// Earlier application keys (`APP_PREVIOUS_KEYS`): they still open Twitch tokens sealed before `APP_KEY`
    /// changed, until `tumulte key rotate` has sealed those again; they seal and sign nothing.
    public var previousAppKeys: [AppKey] = []
    /// PostgreSQL connection.
    public var database = Database()
    /// Redis connection.
    public var redis = RedisConfiguration()
    /// Minimum log level (`LOG_LEVEL`).
    public var logLevel = Logger.Level.info
    /// Log line format (`LOG_FORMAT`).
    public var logFormat = LogFormat.text
    /// Bearer token required on `/metrics` when set (`METRICS_TOKEN`); secret.
    public var metricsToken: String? = nil
    /// Twitch application and endpoints.
    public var twitch = Twitch()
    /// EventSub delivery.
    public var eventSub = EventSub()
    /// Where OAuth state lives (`SESSION_DRIVER`).
    public var sessionDriver = SessionDriver.cookie
    /// The only CORS origin allowed, and where OAuth returns (`FRONTEND_URL`).
    public var frontendURL: String? = nil
    /// The daemon's public base URL, used in overlay URLs (`PUBLIC_URL`); `http://HOST:PORT` when unset.
    public var publicURL: String? = nil

    /// The base of the URLs the daemon hands out (overlay links), without a trailing slash.
    public var publicBaseURL: String {
        if let url = self.publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let host = self.http.host.contains(":") ? "[\(self.http.host)]" : self.http.host
        return "http://\(host):\(self.http.port)"
    }
    /// The path of ``publicBaseURL`` (`/tumulte` when a proxy serves the daemon under one); empty at the root.
    public var publicPathPrefix: String {
        let base = self.publicBaseURL
        guard let scheme = base.firstRange(of: "://"), let slash = base[scheme.upperBound...].firstIndex(of: "/") else { return "" }
        return String(base[slash...])
    }
    /// Local data folder for development state such as the generated key (`DATA_DIR`).
    public var dataDirectory = ".local"
    /// Chat voting.
    public var voting = Voting()

    /// Chat voting settings.
    public struct Voting: Sendable, Equatable {
        /// Votes kept in memory while Redis is unreachable before new ones are dropped (`VOTE_QUEUE_LIMIT`).
        public var queueLimit = 1_000_000
        /// Whether deleted messages and banned or timed-out users lose their votes (`CHAT_MODERATION`).
        public var moderation = true
        /// JOINs per 11 s across all chat connections: 20, or up to 2,000 for a verified bot (`TWITCH_JOIN_LIMIT`).
        public var joinLimit = 20
    }

    /// Live feed settings.
    public var feed = Feed()

    /// Live feed (SSE) settings.
    public struct Feed: Sendable, Equatable {
        /// The shortest time between two `poll.tally` events of one poll, in milliseconds (`SSE_COALESCE_MS`).
        public var coalesceMilliseconds = 100
        /// How long a client may leave an event unread before it is dropped, in seconds (`SSE_STALL_SECONDS`).
        public var stallSeconds = 30
    }

    /// Creates the default configuration (development, local services).
    public init() {}
}
