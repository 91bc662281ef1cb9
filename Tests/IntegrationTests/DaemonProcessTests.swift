import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The daemon as a process: exit codes, signals, health under real outages, secrets kept out of output.
@Suite struct DaemonProcessTests {
    private static let secrets = [
        "APP_KEY": "q2vVnY0Dk5xYc7yR0f8gJ3c9WbQ1mZ4tL6pS2uH8aE0=",
        "DB_PASSWORD": "db-password-7f3a91",
        "REDIS_PASSWORD": "redis-password-5c2e88",
        "TWITCH_CLIENT_SECRET": "twitch-secret-0b4d17",
    ]

    @Test("PORT=abc exits 78 with one line naming PORT")
    func badPort() async throws {
        let process = try TumulteBinary.start(["serve"], environment: ["PORT": "abc"])
        let status = try await process.waitForExit()
        #expect(status == 78)
        #expect(process.output.count == 1)
        #expect(process.output.first?.contains("PORT") == true)
        #expect(process.output.first?.contains("integer from 1 to 65535") == true)
    }

    @Test("APP_ENV=production without APP_KEY exits 78 naming APP_KEY")
    func productionWithoutKey() async throws {
        let process = try TumulteBinary.start(["serve"], environment: ["APP_ENV": "production"])
        #expect(try await process.waitForExit() == 78)
        #expect(process.output.count == 1)
        #expect(process.output.first?.contains("APP_KEY") == true)
    }

    @Test("a --flag is validated like its variable")
    func badFlag() async throws {
        let process = try TumulteBinary.start(["serve", "--redis-port", "0"], environment: [:])
        #expect(try await process.waitForExit() == 78)
        #expect(process.output.first?.contains("REDIS_PORT") == true)
    }

    @Test("--version prints the version and `key generate` a 32-byte base64 key")
    func versionAndKey() async throws {
        let version = try TumulteBinary.start(["--version"], environment: [:])
        #expect(try await version.waitForExit() == 0)
        #expect(version.output.first?.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression) != nil)
        let key = try TumulteBinary.start(["key", "generate"], environment: [:])
        #expect(try await key.waitForExit() == 0)
        let text = try #require(key.output.first)
        #expect(Data(base64Encoded: text)?.count == 32)
    }

    @Test("ready follows Redis and PostgreSQL going away and coming back without a restart; SIGTERM exits 0; no secret in any output")
    func outagesAndShutdown() async throws {
        let postgres = try await PostgresServerProcess()
        let redis = try await RedisServerProcess(password: Self.secrets["REDIS_PASSWORD"])
        let port = try freeLoopbackPort()
        var environment = Self.secrets
        environment.merge([
            "APP_ENV": "production", "HOST": "127.0.0.1", "PORT": "\(port)", "LOG_LEVEL": "trace",
            "DB_HOST": "127.0.0.1", "DB_PORT": "\(postgres.port)", "DB_USER": postgres.user, "DB_DATABASE": postgres.database,
            "DB_SSL": "false", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "\(redis.port)", "TWITCH_CLIENT_ID": "client-id",
        ]) { $1 }
        let daemon = try TumulteBinary.start(["serve"], environment: environment)
        try await daemon.waitForLine { $0.contains("Server started and listening") }
        let base = "http://127.0.0.1:\(port)"

        // Up: ready.
        try await Self.awaitReady(base, expected: 200, within: .seconds(10))
        let health = try await Self.get(base + "/health")
        #expect(health.status == 200)

        // Redis away: 503 naming redis within 5 s; back: 200 within 10 s.
        try await redis.stop()
        let down = try await Self.awaitReady(base, expected: 503, within: .seconds(5))
        #expect(down.body.contains(#""redis":false"#))
        #expect(down.body.contains(#""database":true"#))
        try await redis.start()
        try await Self.awaitReady(base, expected: 200, within: .seconds(10))

        // PostgreSQL away and back, the same.
        try await postgres.stop()
        let databaseDown = try await Self.awaitReady(base, expected: 503, within: .seconds(5))
        #expect(databaseDown.body.contains(#""database":false"#))
        try await postgres.start()
        try await Self.awaitReady(base, expected: 200, within: .seconds(10))

        let healthAfter = try await Self.get(base + "/health")
        daemon.send(SIGTERM)
        let status = try await daemon.waitForExit(timeout: .seconds(10))
        #expect(status == 0)

        let everything = (daemon.output + [health.body, healthAfter.body]).joined(separator: "\n")
        for (variable, value) in Self.secrets {
            #expect(!everything.contains(value), "\(variable) appeared in the output")
        }
        #expect(everything.contains("migration applied"))
    }

    @Test("a port already in use gives one line naming the port")
    func portInUse() async throws {
        let redis = try await RedisServerProcess()
        let process = try TumulteBinary.start(
            ["serve"],
            environment: ["HOST": "127.0.0.1", "PORT": "\(redis.port)", "APP_ENV": "test", "DB_PORT": "1", "REDIS_PORT": "\(redis.port)"]
        )
        let status = try await process.waitForExit(timeout: .seconds(60))
        #expect(status == 69)
        #expect(process.output.contains { $0.contains("port \(redis.port) is already in use") })
    }

    // MARK: helpers

    struct Reply {
        let status: Int
        let body: String
    }

    static func get(_ url: String) async throws -> Reply {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), body: String(buffer: body))
    }

    /// Polls `/health/ready`, as an orchestrator does, until it answers `expected`; fails after `within`.
    @discardableResult
    static func awaitReady(_ base: String, expected: Int, within limit: Duration) async throws -> Reply {
        let deadline = ContinuousClock.now + limit
        var last: Reply?
        while ContinuousClock.now < deadline {
            if let reply = try? await Self.get(base + "/health/ready") {
                if reply.status == expected { return reply }
                last = reply
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("/health/ready did not answer \(expected) within \(limit); last: \(String(describing: last))")
        throw CancellationError()
    }
}
