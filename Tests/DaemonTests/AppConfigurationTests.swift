import Configuration
import Daemon
import Foundation
import Logging
import Redis
import Testing

@Suite struct AppConfigurationTests {
    private func configuration(_ environment: [String: String], arguments: [String] = []) async throws -> AppConfiguration {
        let reader = try await AppConfiguration.makeReader(
            arguments: ["tumulte"] + arguments,
            environment: environment,
            environmentFile: "/nonexistent/.env"
        )
        return try AppConfiguration(reader: reader)
    }

    private func error(_ environment: [String: String]) async throws -> ConfigurationError? {
        do {
            _ = try await self.configuration(environment)
            return nil
        } catch let error as ConfigurationError {
            return error
        }
    }

    @Test("defaults match the seed: port 3333, database twitch_polls, development")
    func defaults() async throws {
        let configuration = try await self.configuration([:])
        #expect(configuration.http.port == 3333)
        #expect(configuration.http.host == "localhost")
        #expect(configuration.database.database == "twitch_polls")
        #expect(configuration.database.port == 5432)
        #expect(configuration.redis.port == 6379)
        #expect(configuration.environment == .development)
        #expect(configuration.logLevel == .info)
        #expect(configuration.sessionDriver == .cookie)
        #expect(configuration.eventSub.transport == .websocket)
        #expect(!configuration.twitch.hasCredentials)
        #expect(configuration.voting.queueLimit == 1_000_000)
        #expect(configuration.voting.moderation)
        #expect(configuration.voting.joinLimit == 20)
        #expect(configuration.feed.coalesceMilliseconds == 100)
        #expect(configuration.feed.stallSeconds == 30)
    }

    @Test("flags override the environment, which fills the rest")
    func precedence() async throws {
        let configuration = try await self.configuration(["PORT": "4000", "DB_HOST": "db.internal"], arguments: ["--port", "5000"])
        #expect(configuration.http.port == 5000)
        #expect(configuration.database.host == "db.internal")
    }

    @Test("a .env file is read after the environment")
    func environmentFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-\(UUID().uuidString).env").path
        try "REDIS_PORT=7777\nDB_USER=fromfile\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try await AppConfiguration.makeReader(arguments: ["tumulte"], environment: ["DB_USER": "fromenv"], environmentFile: path)
        let configuration = try AppConfiguration(reader: reader)
        #expect(configuration.redis.port == 7777)
        #expect(configuration.database.user == "fromenv")
    }

    @Test(
        "a bad value names its variable and what it accepts",
        arguments: [
            (["PORT": "abc"], "PORT", "integer from 1 to 65535"),
            (["PORT": "70000"], "PORT", "integer from 1 to 65535"),
            (["DB_PORT": "-1"], "DB_PORT", "integer from 1 to 65535"),
            (["APP_ENV": "staging"], "APP_ENV", "development, production, test"),
            (["NODE_ENV": "staging"], "NODE_ENV", "development, production, test"),
            (["LOG_LEVEL": "loud"], "LOG_LEVEL", "trace, debug"),
            (["LOG_FORMAT": "xml"], "LOG_FORMAT", "text, json"),
            (["SESSION_DRIVER": "memcached"], "SESSION_DRIVER", "cookie, redis"),
            (["DB_SSL": "maybe"], "DB_SSL", "true, false"),
            (["REDIS_DB": "99"], "REDIS_DB", "0 to 15"),
            (["TWITCH_IRC_URL": "http://x"], "TWITCH_IRC_URL", "ws://"),
            (["FRONTEND_URL": "not a url"], "FRONTEND_URL", "http"),
            (["TWITCH_CLIENT_ID": "abc"], "TWITCH_CLIENT_SECRET", "client secret"),
            (["EVENTSUB_TRANSPORT": "webhook"], "EVENTSUB_WEBHOOK_SECRET", "10 to 100"),
            (["EVENTSUB_WEBHOOK_SECRET": "short"], "EVENTSUB_WEBHOOK_SECRET", "10 to 100"),
            (["APP_ENV": "production"], "APP_KEY", "tumulte key generate"),
            (["APP_KEY": "too-short"], "APP_KEY", "32 random bytes"),
            (["APP_PREVIOUS_KEYS": AppKey.generate().text + ",nope"], "APP_PREVIOUS_KEYS", "comma-separated keys"),
            (["DATABASE_URL": "mysql://x"], "DATABASE_URL", "postgres://"),
            (["REDIS_URL": "rediss://h:1"], "REDIS_URL", "redis://"),
            (["HOST": "bad host!"], "HOST", "host name"),
            (["VOTE_QUEUE_LIMIT": "10"], "VOTE_QUEUE_LIMIT", "integer from 1000"),
            (["TWITCH_JOIN_LIMIT": "5000"], "TWITCH_JOIN_LIMIT", "integer from 1 to 2000"),
            (["CHAT_MODERATION": "maybe"], "CHAT_MODERATION", "true or false"),
            (["SSE_COALESCE_MS": "5"], "SSE_COALESCE_MS", "integer from 10 to 10000"),
            (["SSE_STALL_SECONDS": "0"], "SSE_STALL_SECONDS", "integer from 1 to 600"),
            (["EVENTSUB_KEEPALIVE_SECONDS": "5"], "EVENTSUB_KEEPALIVE_SECONDS", "integer from 10 to 600"),
        ] as [([String: String], String, String)]
    )
    func badValues(environment: [String: String], variable: String, accepted: String) async throws {
        let error = try #require(try await self.error(environment))
        #expect(error.variable == variable)
        #expect(error.message.hasPrefix(variable))
        #expect(error.message.contains(accepted))
        #expect(!error.message.contains("\n"))
    }

    @Test("secret values are never echoed in errors")
    func secretNotEchoed() async throws {
        let error = try #require(try await self.error(["APP_KEY": "hunter2-is-not-a-key", "APP_ENV": "production"]))
        #expect(error.variable == "APP_KEY")
        #expect(!error.message.contains("hunter2"))
        let urlError = try #require(try await self.error(["DATABASE_URL": "mysql://root:pa55word@db"]))
        #expect(!urlError.message.contains("pa55word"))
    }

    @Test("DATABASE_URL and REDIS_URL fill the split variables, which still override")
    func urls() async throws {
        let configuration = try await self.configuration([
            "DATABASE_URL": "postgres://app:s%40cret@db.example:6543/polls?sslmode=require",
            "REDIS_URL": "redis://:rpass@cache.example:6380/2",
            "DB_PORT": "7654",
        ])
        #expect(configuration.database.host == "db.example")
        #expect(configuration.database.port == 7654)
        #expect(configuration.database.user == "app")
        #expect(configuration.database.password == "s@cret")
        #expect(configuration.database.database == "polls")
        #expect(configuration.database.tls == .require)
        #expect(configuration.redis.host == "cache.example")
        #expect(configuration.redis.port == 6380)
        #expect(configuration.redis.password == "rpass")
        #expect(configuration.redis.database == 2)
    }

    @Test("production takes APP_KEY; NODE_ENV is an alias of APP_ENV")
    func production() async throws {
        let key = AppKey.generate()
        let configuration = try await self.configuration(["NODE_ENV": "production", "APP_KEY": "base64:" + key.text])
        #expect(configuration.environment == .production)
        #expect(configuration.appKey == key)
    }

    @Test("APP_PREVIOUS_KEYS lists the keys that only open tokens sealed before a key change")
    func previousKeys() async throws {
        let (old, older) = (AppKey.generate(), AppKey.generate())
        let configuration = try await self.configuration(["APP_PREVIOUS_KEYS": "\(old.text),base64:\(older.text)"])
        #expect(configuration.previousAppKeys == [old, older])
    }

    @Test("PUBLIC_URL: the base of handed-out URLs without a trailing slash, and its path prefix")
    func publicURL() async throws {
        let root = try await self.configuration(["PUBLIC_URL": "https://polls.example.com/"])
        #expect(root.publicBaseURL == "https://polls.example.com" && root.publicPathPrefix == "")
        let prefixed = try await self.configuration(["PUBLIC_URL": "https://gm.example.com:8443/tumulte/"])
        #expect(prefixed.publicBaseURL == "https://gm.example.com:8443/tumulte" && prefixed.publicPathPrefix == "/tumulte")
        let unset = try await self.configuration(["PORT": "4000"])
        #expect(unset.publicBaseURL.hasSuffix(":4000") && unset.publicPathPrefix == "")
    }

    @Test("the redacted summary holds no secret value")
    func redaction() async throws {
        let secrets = [
            "APP_KEY": AppKey.generate().text, "DB_PASSWORD": "db-secret-value", "REDIS_PASSWORD": "redis-secret-value",
            "TWITCH_CLIENT_ID": "client-id", "TWITCH_CLIENT_SECRET": "twitch-secret-value", "METRICS_TOKEN": "metrics-secret-value",
        ]
        let configuration = try await self.configuration(secrets)
        let printed = configuration.redactedMetadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        for (variable, value) in secrets where variable != "TWITCH_CLIENT_ID" {
            #expect(!printed.contains(value), "\(variable) leaked")
        }
        #expect(printed.contains("config.db_password=<redacted>"))
    }

    @Test("the development key is generated once and then reused")
    func developmentKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = try await self.configuration(["DATA_DIR": directory])
        let first = try configuration.resolvingAppKey(logger: .init(label: "test")).appKey
        let second = try configuration.resolvingAppKey(logger: .init(label: "test")).appKey
        #expect(first != nil)
        #expect(first == second)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/app.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("generated keys are 32 bytes, round-trip through base64 and differ")
    func keyGeneration() {
        let a = AppKey.generate()
        let b = AppKey.generate()
        #expect(a.bytes.count == 32)
        #expect(AppKey(text: a.text) == a)
        #expect(a != b)
    }
}
