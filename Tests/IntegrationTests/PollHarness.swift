import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import TestSupport
import Testing
import TwitchSimulator

/// One daemon process with its own PostgreSQL and Redis, reading chat from an in-test simulator, driven over HTTP.
final class PollHarness: @unchecked Sendable {
    /// An HTTP answer with its body parsed as JSON when it is JSON.
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(self.body.utf8))) as? [String: Any] ?? [:] }
        var error: [String: Any] { self.json["error"] as? [String: Any] ?? [:] }
        var errorFields: [String: String] { self.error["fields"] as? [String: String] ?? [:] }
    }

    static let appKey = "q2vVnY0Dk5xYc7yR0f8gJ3c9WbQ1mZ4tL6pS2uH8aE0="

    /// A private PostgreSQL server (for outage tests), or nil to use a fresh database on the shared one.
    let postgres: PostgresServerProcess?
    let database: Database
    let redis: RedisServerProcess
    let simulatorURL: String
    let port: Int
    /// Extra daemon settings (environment variables) on top of the harness's own.
    let settings: [String: String]
    private(set) var daemon: ChildProcess
    private(set) var apiKey = ""
    var base: String { "http://127.0.0.1:\(self.port)" }

    /// Where the daemon's database lives.
    struct Database: Sendable {
        let host: String
        let port: Int
        let user: String
        let password: String?
        let name: String
    }

    private init(
        postgres: PostgresServerProcess?,
        database: Database,
        redis: RedisServerProcess,
        simulatorURL: String,
        port: Int,
        settings: [String: String],
        daemon: ChildProcess
    ) {
        self.postgres = postgres
        self.database = database
        self.redis = redis
        self.simulatorURL = simulatorURL
        self.port = port
        self.settings = settings
        self.daemon = daemon
    }

    /// Starts Redis, a database and the daemon, and creates an API key.
    /// - Parameter privatePostgres: Run a PostgreSQL server of its own (to stop it mid-test) instead of a fresh
    ///   database on the shared test server.
    /// - Parameter settings: Extra environment variables for the daemon (e.g. `SSE_STALL_SECONDS`).
    static func start(simulator: IRCSimulator, privatePostgres: Bool = false, settings: [String: String] = [:]) async throws -> PollHarness {
        let postgres = privatePostgres ? try await PostgresServerProcess() : nil
        let database: Database
        if let postgres {
            database = Database(host: "127.0.0.1", port: postgres.port, user: postgres.user, password: nil, name: postgres.database)
        } else {
            database = try await Self.createSharedDatabase()
        }
        let redis = try await RedisServerProcess(durable: true)
        let url = "ws://127.0.0.1:\(await simulator.boundPort())"
        let (daemon, port) = try await Self.launchOnFreePort(database: database, redis: redis, simulatorURL: url, settings: settings)
        let harness = PollHarness(
            postgres: postgres,
            database: database,
            redis: redis,
            simulatorURL: url,
            port: port,
            settings: settings,
            daemon: daemon
        )
        try await harness.awaitReady()
        harness.apiKey = try await harness.createAPIKey(name: "gm")
        return harness
    }

    /// Creates a fresh, empty database on the shared test server.
    static func createSharedDatabase() async throws -> Database {
        let name = "tumulte_test_" + UUID().uuidString.prefix(8).lowercased()
        try await Self.withSharedAdmin { try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        return Database(
            host: TestServices.postgresHost,
            port: TestServices.postgresPort,
            user: TestServices.postgresUser,
            password: TestServices.postgresPassword,
            name: name
        )
    }

    /// Drops a database made by ``createSharedDatabase()``.
    static func dropSharedDatabase(_ database: Database) async throws {
        let name = database.name
        try await Self.withSharedAdmin { try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")) }
    }

    /// Runs `body` with a client on the shared test server's default database.
    private static func withSharedAdmin(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let admin = PostgresClient(configuration: TestServices.postgresConfiguration(), backgroundLogger: TestServices.quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await body(admin)
        }
    }

    private static func environment(
        port: Int,
        database: Database,
        redis: RedisServerProcess,
        simulatorURL: String,
        settings: [String: String]
    ) -> [String: String] {
        var environment = [
            "APP_ENV": "test", "APP_KEY": Self.appKey, "HOST": "127.0.0.1", "PORT": "\(port)", "LOG_LEVEL": "info",
            "DB_HOST": database.host, "DB_PORT": "\(database.port)", "DB_USER": database.user, "DB_DATABASE": database.name,
            "DB_SSL": "false", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "\(redis.port)", "TWITCH_IRC_URL": simulatorURL,
        ]
        if let password = database.password { environment["DB_PASSWORD"] = password }
        return environment.merging(settings) { _, setting in setting }
    }

    private var environment: [String: String] {
        Self.environment(port: self.port, database: self.database, redis: self.redis, simulatorURL: self.simulatorURL, settings: self.settings)
    }

    private static func launch(
        port: Int,
        database: Database,
        redis: RedisServerProcess,
        simulatorURL: String,
        settings: [String: String]
    ) async throws -> ChildProcess {
        let daemon = try TumulteBinary.start(
            ["serve"],
            environment: Self.environment(port: port, database: database, redis: redis, simulatorURL: simulatorURL, settings: settings)
        )
        let line = try await daemon.waitForLine(timeout: .seconds(60)) {
            $0.contains("Server started and listening") || $0.contains("is already in use")
        }
        guard line.contains("Server started and listening") else { throw PortTaken(port: port) }
        return daemon
    }

    /// The free port picked for a daemon was taken by another test's listener before the daemon bound it.
    struct PortTaken: Error {
        let port: Int
    }

    /// Launches a daemon on a free port, picking another one if that port gets taken meanwhile.
    private static func launchOnFreePort(
        database: Database,
        redis: RedisServerProcess,
        simulatorURL: String,
        settings: [String: String]
    ) async throws -> (daemon: ChildProcess, port: Int) {
        var attempt = 0
        while true {
            let port = try freeLoopbackPort()
            do {
                return (try await Self.launch(port: port, database: database, redis: redis, simulatorURL: simulatorURL, settings: settings), port)
            } catch let error as PortTaken {
                attempt += 1
                if attempt == 5 { throw error }
            }
        }
    }

    /// Kills the daemon with SIGKILL (no graceful anything).
    func kill() async throws {
        self.daemon.send(SIGKILL)
        _ = try await self.daemon.waitForExit(timeout: .seconds(10))
    }

    /// Kills the daemon with SIGKILL and starts a new one on the same port.
    func killAndRestart() async throws {
        try await self.kill()
        try await self.restart()
    }

    /// Starts a second daemon on its own port, sharing this one's PostgreSQL, Redis and Twitch.
    func startSecondDaemon() async throws -> (process: ChildProcess, base: String) {
        let (process, port) = try await Self.launchOnFreePort(
            database: self.database,
            redis: self.redis,
            simulatorURL: self.simulatorURL,
            settings: self.settings
        )
        return (process, "http://127.0.0.1:\(port)")
    }

    /// Starts a new daemon on the same port and waits until it is ready.
    func restart() async throws {
        self.daemon = try await Self.launch(
            port: self.port,
            database: self.database,
            redis: self.redis,
            simulatorURL: self.simulatorURL,
            settings: self.settings
        )
        try await self.awaitReady()
    }

    /// Stops the daemon gracefully and the servers, or drops the database on the shared server.
    func stop() async throws {
        self.daemon.send(SIGTERM)
        _ = try? await self.daemon.waitForExit(timeout: .seconds(15))
        try await self.redis.stop()
        if let postgres = self.postgres {
            try await postgres.stop()
        } else {
            try await Self.dropSharedDatabase(self.database)
        }
    }

    /// The text of `pg_dump --data-only --inserts` of the daemon's database.
    func pgDump() async throws -> String {
        let arguments = [
            "--host", self.database.host, "--port", "\(self.database.port)", "--username", self.database.user, "--data-only", "--inserts",
            self.database.name,
        ]
        let dump = try ChildProcess(
            PostgresServerProcess.binary("pg_dump"),
            arguments,
            environment: self.database.password.map { ["PGPASSWORD": $0] } ?? [:]
        )
        #expect(try await dump.waitForExit(timeout: .seconds(60)) == 0)
        return dump.output.joined(separator: "\n")
    }

    /// Waits until `/health/ready` says 200 (migrations applied, Redis up).
    func awaitReady() async throws {
        try await self.eventually(within: .seconds(30), "the daemon to be ready") {
            (try? await self.request("GET", "/health/ready", key: nil))?.status == 200
        }
    }

    /// Runs `tumulte apikey create` against this harness's database and returns the key.
    func createAPIKey(name: String) async throws -> String {
        var environment = self.environment
        environment["LOG_LEVEL"] = "warning"
        let process = try TumulteBinary.start(["apikey", "create", "--name", name, "--json"], environment: environment)
        let line = try await process.waitForLine(timeout: .seconds(60)) { $0.hasPrefix("{") }
        #expect(try await process.waitForExit() == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        return try #require(object["key"])
    }

    /// Runs `tumulte apikey revoke <name>`.
    func revokeAPIKey(name: String) async throws {
        var environment = self.environment
        environment["LOG_LEVEL"] = "warning"
        let process = try TumulteBinary.start(["apikey", "revoke", name], environment: environment)
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 0)
    }

    /// Sends a request; `key` defaults to the harness's API key, nil sends none.
    func request(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        rawBody: String? = nil,
        headers: [String: String] = [:],
        key: String?? = .some(nil)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: self.base + path)
        request.method = HTTPMethod(rawValue: method)
        let bearer: String? = if case .some(let explicit) = key { explicit ?? self.apiKey } else { nil }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let rawBody {
            request.body = .bytes(ByteBuffer(string: rawBody))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// Sends a request without any Authorization header.
    func anonymous(_ method: String, _ path: String, json: Any? = nil) async throws -> Reply {
        try await self.request(method, path, json: json, key: .none)
    }

    /// Re-checks `condition` every 100 ms until it holds; records an issue and throws after `within`.
    func eventually(within limit: Duration, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out after \(limit) waiting for \(what)")
        throw CancellationError()
    }

    /// The poll, once `condition` holds for its JSON.
    func awaitPoll(
        _ id: String,
        within limit: Duration = .seconds(60),
        _ what: String,
        _ condition: @escaping ([String: Any]) -> Bool
    )
        async throws -> [String: Any]
    {
        var poll: [String: Any] = [:]
        var last = "no answer"
        do {
            try await self.eventually(within: limit, what) {
                guard let reply = try? await self.request("GET", "/api/v1/polls/\(id)") else { return false }
                last = "\(reply.status) \(reply.body)"
                guard reply.status == 200 else { return false }
                poll = reply.json
                return condition(poll)
            }
        } catch {
            Issue.record("last answer: \(last)\ndaemon output:\n\(self.daemon.output.suffix(30).joined(separator: "\n"))")
            throw error
        }
        return poll
    }

    /// Runs `body` with a client on this harness's PostgreSQL.
    func withDatabase<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await Self.withDatabase(self.database, body)
    }

    /// Runs `body` with a client on `database`.
    static func withDatabase<T: Sendable>(_ database: Database, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var configuration = PostgresClient.Configuration(
            host: database.host,
            port: database.port,
            username: database.user,
            password: database.password,
            database: database.name,
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(3)
        let client = PostgresClient(configuration: configuration, backgroundLogger: TestServices.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

extension [String: Any] {
    /// `tally.votes`.
    var votes: [Int] { ((self["tally"] as? [String: Any])?["votes"] as? [Int]) ?? [] }
    /// `tally.totalVotes`.
    var totalVotes: Int { ((self["tally"] as? [String: Any])?["totalVotes"] as? Int) ?? -1 }
    /// `tally.winners`.
    var winners: [Int] { ((self["tally"] as? [String: Any])?["winners"] as? [Int]) ?? [] }
    /// `tally.channels[login].votes`.
    func channelVotes(_ login: String) -> [Int] {
        (((self["tally"] as? [String: Any])?["channels"] as? [String: Any])?[login] as? [String: Any])?["votes"] as? [Int] ?? []
    }
    /// `status`.
    var status: String { self["status"] as? String ?? "" }
}
