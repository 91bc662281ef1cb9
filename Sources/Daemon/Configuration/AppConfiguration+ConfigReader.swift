public import Configuration
import Foundation
import Logging
import Redis
import SystemPackage

extension AppConfiguration {
    /// Environment variables whose values are secrets: never logged, printed or echoed in errors.
    public static let secretVariables: Set<String> = [
        "APP_KEY", "APP_PREVIOUS_KEYS", "DB_PASSWORD", "REDIS_PASSWORD", "TWITCH_CLIENT_SECRET", "METRICS_TOKEN",
        "EVENTSUB_WEBHOOK_SECRET", "DATABASE_URL", "REDIS_URL",
    ]

    /// Builds the reader the daemon uses: `--flags` first, then the environment, then a `.env` file.
    /// - Parameters:
    ///   - arguments: Command-line words; the first is the program name. `--db-host x` sets `DB_HOST`.
    ///   - environment: The process environment.
    ///   - environmentFile: A `.env` file read when present.
    public static func makeReader(
        arguments: [String],
        environment: [String: String],
        environmentFile: String = ".env"
    ) async throws -> ConfigReader {
        let secrets = SecretsSpecifier<String, String>.specific(Self.secretVariables)
        var providers: [any ConfigProvider] = [
            CommandLineArgumentsProvider(arguments: arguments, secretsSpecifier: .dynamic { key, _ in Self.isSecretFlag(key) }),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: secrets),
        ]
        providers.append(
            try await EnvironmentVariablesProvider(environmentFilePath: FilePath(environmentFile), allowMissing: true, secretsSpecifier: secrets)
        )
        return ConfigReader(providers: providers)
    }

    private static func isSecretFlag(_ flag: String) -> Bool {
        let variable = flag.drop { $0 == "-" }.uppercased().replacingOccurrences(of: "-", with: "_")
        return Self.secretVariables.contains(variable)
    }

    /// Reads and validates every variable of the configuration.
    ///
    /// Variables: `PORT` (3333), `HOST` (localhost), `APP_KEY`, `APP_PREVIOUS_KEYS`, `APP_ENV`/`NODE_ENV` (development),
    /// `DATABASE_URL` or `DB_HOST` (localhost), `DB_PORT` (5432), `DB_USER` (postgres), `DB_PASSWORD`,
    /// `DB_DATABASE` (twitch_polls), `DB_SSL` (prefer), `REDIS_URL` or `REDIS_HOST` (localhost), `REDIS_PORT` (6379),
    /// `REDIS_PASSWORD`, `REDIS_DB` (0), `LOG_LEVEL` (info), `LOG_FORMAT` (text), `METRICS_TOKEN`, `TWITCH_CLIENT_ID`,
    /// `TWITCH_CLIENT_SECRET`, `TWITCH_REDIRECT_URI`, `TWITCH_IRC_URL`, `TWITCH_EVENTSUB_URL`, `TWITCH_API_URL`,
    /// `TWITCH_AUTH_URL`, `TWITCH_CA_FILE`, `EVENTSUB_TRANSPORT` (websocket), `EVENTSUB_WEBHOOK_SECRET`,
    /// `EVENTSUB_CALLBACK_URL`, `EVENTSUB_KEEPALIVE_SECONDS` (30), `SESSION_DRIVER` (cookie), `FRONTEND_URL`, `PUBLIC_URL` (http://HOST:PORT), `DATA_DIR` (.local), `VOTE_QUEUE_LIMIT` (1000000),
    /// `CHAT_MODERATION` (true), `TWITCH_JOIN_LIMIT` (20), `SSE_COALESCE_MS` (100), `SSE_STALL_SECONDS` (30).
    /// - Parameter reader: The configuration reader (see ``makeReader(arguments:environment:environmentFile:)``).
    /// - Throws: ``ConfigurationError`` for the first bad or missing value.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        let values = Values(reader: reader)
        self.init()

        let environmentName = values.string("APP_ENV") ?? values.string("NODE_ENV")
        if let environmentName {
            guard let environment = Environment(rawValue: environmentName.lowercased()) else {
                let variable = values.string("APP_ENV") != nil ? "APP_ENV" : "NODE_ENV"
                throw .invalid(variable, value: environmentName, isSecret: false, expected: "one of development, production, test")
            }
            self.environment = environment
        }

        self.http.host = try values.host("HOST") ?? self.http.host
        self.http.port = try values.port("PORT") ?? self.http.port
        self.dataDirectory = values.string("DATA_DIR") ?? self.dataDirectory

        if let text = values.string("APP_KEY", isSecret: true) {
            guard let key = AppKey(text: text) else {
                throw .invalid("APP_KEY", value: text, isSecret: true, expected: "32 random bytes in base64 (make one with `tumulte key generate`)")
            }
            self.appKey = key
        } else if self.environment == .production {
            throw .missing("APP_KEY", expected: "32 random bytes in base64 when APP_ENV=production (make one with `tumulte key generate`)")
        }
        if let text = values.string("APP_PREVIOUS_KEYS", isSecret: true) {
            for part in text.split(separator: ",") {
                guard let key = AppKey(text: String(part)) else {
                    throw .invalid(
                        "APP_PREVIOUS_KEYS",
                        value: text,
                        isSecret: true,
                        expected: "comma-separated keys, each 32 random bytes in base64"
                    )
                }
                self.previousAppKeys.append(key)
            }
        }

        try self.readDatabase(values)
        try self.readRedis(values)

        if let level = values.string("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw .invalid("LOG_LEVEL", value: level, isSecret: false, expected: "one of trace, debug, info, notice, warning, error, critical")
            }
            self.logLevel = parsed
        }
        self.logFormat = try values.choice("LOG_FORMAT") ?? self.logFormat
        self.metricsToken = values.string("METRICS_TOKEN", isSecret: true)

        try self.readTwitch(values)

        self.voting.queueLimit = try values.integer("VOTE_QUEUE_LIMIT", in: 1_000...100_000_000) ?? self.voting.queueLimit
        self.voting.joinLimit = try values.integer("TWITCH_JOIN_LIMIT", in: 1...2_000) ?? self.voting.joinLimit
        if let moderation = values.string("CHAT_MODERATION") {
            switch moderation.lowercased() {
            case "true", "1", "on", "yes": self.voting.moderation = true
            case "false", "0", "off", "no": self.voting.moderation = false
            default: throw .invalid("CHAT_MODERATION", value: moderation, isSecret: false, expected: "true or false")
            }
        }

        self.feed.coalesceMilliseconds = try values.integer("SSE_COALESCE_MS", in: 10...10_000) ?? self.feed.coalesceMilliseconds
        self.feed.stallSeconds = try values.integer("SSE_STALL_SECONDS", in: 1...600) ?? self.feed.stallSeconds

        self.sessionDriver = try values.choice("SESSION_DRIVER") ?? self.sessionDriver
        self.frontendURL = try values.url("FRONTEND_URL", schemes: ["http", "https"])
        self.publicURL = try values.url("PUBLIC_URL", schemes: ["http", "https"])
    }

    private mutating func readDatabase(_ values: Values) throws(ConfigurationError) {
        if let text = values.string("DATABASE_URL", isSecret: true) {
            guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme),
                let host = url.host, !host.isEmpty
            else {
                throw .invalid("DATABASE_URL", value: text, isSecret: true, expected: "postgres://user:password@host:port/database")
            }
            self.database.host = host
            self.database.port = url.port ?? self.database.port
            self.database.user = url.user.flatMap { $0.removingPercentEncoding } ?? self.database.user
            self.database.password = url.password.flatMap { $0.removingPercentEncoding }
            let name = url.path.drop { $0 == "/" }
            if !name.isEmpty { self.database.database = String(name) }
            if let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value {
                self.database.tls = mode == "disable" ? .disable : (mode == "prefer" || mode == "allow" ? .prefer : .require)
            }
        }
        self.database.host = try values.host("DB_HOST") ?? self.database.host
        self.database.port = try values.port("DB_PORT") ?? self.database.port
        self.database.user = values.string("DB_USER") ?? self.database.user
        self.database.password = values.string("DB_PASSWORD", isSecret: true) ?? self.database.password
        if self.database.password == nil && self.environment != .production {
            // The development default matches docker-compose.yml.
            self.database.password = "postgres"
        }
        self.database.database = values.string("DB_DATABASE") ?? self.database.database
        if let ssl = values.string("DB_SSL") {
            switch ssl.lowercased() {
            case "true", "1", "require", "on": self.database.tls = .require
            case "false", "0", "disable", "off": self.database.tls = .disable
            case "prefer": self.database.tls = .prefer
            default: throw .invalid("DB_SSL", value: ssl, isSecret: false, expected: "one of true, false, require, prefer, disable")
            }
        }
    }

    private mutating func readRedis(_ values: Values) throws(ConfigurationError) {
        if let text = values.string("REDIS_URL", isSecret: true) {
            guard let url = URLComponents(string: text), url.scheme == "redis", let host = url.host, !host.isEmpty else {
                throw .invalid("REDIS_URL", value: text, isSecret: true, expected: "redis://[:password@]host:port[/db] (TLS is not supported)")
            }
            self.redis.host = host
            self.redis.port = url.port ?? self.redis.port
            self.redis.password = url.password.flatMap { $0.removingPercentEncoding }
            let path = url.path.drop { $0 == "/" }
            if !path.isEmpty {
                guard let database = Int(path), (0...15).contains(database) else {
                    throw .invalid("REDIS_URL", value: text, isSecret: true, expected: "redis://[:password@]host:port[/db] with db from 0 to 15")
                }
                self.redis.database = database
            }
        }
        self.redis.host = try values.host("REDIS_HOST") ?? self.redis.host
        self.redis.port = try values.port("REDIS_PORT") ?? self.redis.port
        self.redis.password = values.string("REDIS_PASSWORD", isSecret: true) ?? self.redis.password
        self.redis.database = try values.integer("REDIS_DB", in: 0...15) ?? self.redis.database
    }

    private mutating func readTwitch(_ values: Values) throws(ConfigurationError) {
        self.twitch.clientID = values.string("TWITCH_CLIENT_ID")
        self.twitch.clientSecret = values.string("TWITCH_CLIENT_SECRET", isSecret: true)
        if self.twitch.clientID != nil, self.twitch.clientSecret == nil {
            throw .missing("TWITCH_CLIENT_SECRET", expected: "the client secret of the Twitch application named by TWITCH_CLIENT_ID")
        }
        if self.twitch.clientSecret != nil, self.twitch.clientID == nil {
            throw .missing("TWITCH_CLIENT_ID", expected: "the client id of the Twitch application whose secret is TWITCH_CLIENT_SECRET")
        }
        self.twitch.redirectURI = try values.url("TWITCH_REDIRECT_URI", schemes: ["http", "https"])
        self.twitch.ircURL = try values.url("TWITCH_IRC_URL", schemes: ["ws", "wss"]) ?? self.twitch.ircURL
        self.twitch.eventSubURL = try values.url("TWITCH_EVENTSUB_URL", schemes: ["ws", "wss"]) ?? self.twitch.eventSubURL
        self.twitch.apiURL = try values.url("TWITCH_API_URL", schemes: ["http", "https"]) ?? self.twitch.apiURL
        self.twitch.authURL = try values.url("TWITCH_AUTH_URL", schemes: ["http", "https"]) ?? self.twitch.authURL
        if let file = values.string("TWITCH_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw .invalid("TWITCH_CA_FILE", value: file, isSecret: false, expected: "a readable PEM certificate file")
            }
            self.twitch.caFile = file
        }

        self.eventSub.transport = try values.choice("EVENTSUB_TRANSPORT") ?? self.eventSub.transport
        if let secret = values.string("EVENTSUB_WEBHOOK_SECRET", isSecret: true) {
            guard (10...100).contains(secret.utf8.count), secret.allSatisfy(\.isASCII) else {
                throw .invalid("EVENTSUB_WEBHOOK_SECRET", value: secret, isSecret: true, expected: "10 to 100 ASCII characters")
            }
            self.eventSub.webhookSecret = secret
        }
        self.eventSub.callbackURL = try values.url("EVENTSUB_CALLBACK_URL", schemes: ["https"])
        self.eventSub.keepaliveSeconds = try values.integer("EVENTSUB_KEEPALIVE_SECONDS", in: 10...600) ?? self.eventSub.keepaliveSeconds
        if self.eventSub.transport == .webhook {
            if self.eventSub.webhookSecret == nil {
                throw .missing("EVENTSUB_WEBHOOK_SECRET", expected: "10 to 100 ASCII characters when EVENTSUB_TRANSPORT=webhook")
            }
            if self.eventSub.callbackURL == nil {
                throw .missing("EVENTSUB_CALLBACK_URL", expected: "a public https:// URL when EVENTSUB_TRANSPORT=webhook")
            }
        }
    }
}

/// Typed, validated access to variables by their environment name (`DB_HOST` is key `db.host`, flag `--db-host`).
private struct Values {
    let reader: ConfigReader

    /// The trimmed value, or nil when unset or empty.
    func string(_ variable: String, isSecret: Bool = false) -> String? {
        let key = ConfigKey(variable.lowercased().split(separator: "_").map(String.init))
        guard let value = self.reader.string(forKey: key, isSecret: isSecret)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    func integer(_ variable: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = self.string(variable) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalid(variable, value: text, isSecret: false, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func port(_ variable: String) throws(ConfigurationError) -> Int? {
        try self.integer(variable, in: 1...65535)
    }

    func host(_ variable: String) throws(ConfigurationError) -> String? {
        guard let text = self.string(variable) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:_[]".unicodeScalars.contains($0))
        }
        guard allowed, text.count <= 253 else {
            throw .invalid(variable, value: text, isSecret: false, expected: "a host name or IP address")
        }
        return text
    }

    func choice<Choice: RawRepresentable<String> & CaseIterable>(_ variable: String) throws(ConfigurationError) -> Choice? {
        guard let text = self.string(variable) else { return nil }
        guard let value = Choice(rawValue: text.lowercased()) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(variable, value: text, isSecret: false, expected: "one of \(names)")
        }
        return value
    }

    func url(_ variable: String, schemes: Set<String>) throws(ConfigurationError) -> String? {
        guard let text = self.string(variable) else { return nil }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            let list = schemes.sorted().map { "\($0)://" }.joined(separator: " or ")
            throw .invalid(variable, value: text, isSecret: false, expected: "an absolute \(list) URL")
        }
        return text
    }
}
