import Foundation
public import Redis

/// A free TCP port on the loopback interface, found by binding port 0.
public func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A private `redis-server` on its own port, which a test may stop and start again.
public final class RedisServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only replaced by start/stop, which tests call sequentially.
    /// The port it listens on (kept across restarts).
    public let port: Int
    private let password: String?
    private let directory: String?
    private var process: ChildProcess?

    /// A client configuration for this server (no password set).
    public var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: self.port) }

    /// Starts a server on a free port, optionally with `requirepass`.
    /// - Parameters:
    ///   - password: The `requirepass` value.
    ///   - durable: Keep every acknowledged write across a stop (append-only file, fsync always), like a production Redis.
    public init(password: String? = nil, durable: Bool = false) async throws {
        self.password = password
        var directory: String?
        if durable {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-redis-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory!, withIntermediateDirectories: true)
        }
        self.directory = directory
        // The free port found may be taken by another test's listener before redis-server binds it: try another.
        var attempt = 0
        while true {
            let port = try freeLoopbackPort()
            if let process = try await Self.launch(port: port, password: password, directory: directory) {
                self.port = port
                self.process = process
                return
            }
            attempt += 1
            guard attempt < 5 else { throw POSIXError(.EADDRINUSE) }
        }
    }

    /// Starts the server (again) on the same port and waits until it accepts connections.
    public func start() async throws {
        guard let process = try await Self.launch(port: self.port, password: self.password, directory: self.directory) else {
            throw POSIXError(.EADDRINUSE)
        }
        self.process = process
    }

    /// Runs redis-server on `port` until it accepts connections; nil when the port is already in use.
    private static func launch(port: Int, password: String?, directory: String?) async throws -> ChildProcess? {
        var arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"]
        if let directory {
            arguments += ["--dir", directory, "--appendonly", "yes", "--appendfsync", "always"]
        } else {
            arguments += ["--appendonly", "no"]
        }
        if let password { arguments += ["--requirepass", password] }
        let process = try ChildProcess(Self.executable, arguments)
        let line = try await process.waitForLine(timeout: .seconds(20)) {
            $0.contains("Ready to accept connections") || $0.contains("Address already in use")
        }
        guard line.contains("Ready to accept connections") else {
            _ = try? await process.waitForExit(timeout: .seconds(5))
            return nil
        }
        return process
    }

    /// Stops the server abruptly (SIGKILL), as a crash or a network cut would.
    public func stop() async throws {
        guard let process = self.process else { return }
        process.send(SIGKILL)
        _ = try await process.waitForExit(timeout: .seconds(10))
        self.process = nil
    }

    deinit {
        self.process?.send(SIGKILL)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    private static var executable: String {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/redis-server"
    }
}

/// A private PostgreSQL cluster in a temporary folder, which a test may stop and start again.
///
/// It is driven with `pg_ctl`, run as the `postgres` system user when we are root (initdb and postgres refuse
/// root). Authentication is `trust` on loopback.
public final class PostgresServerProcess: Sendable {
    /// The port it listens on (kept across restarts).
    public let port: Int
    /// The role to connect as.
    public let user = "tumulte"
    /// The database created for the test.
    public let database = "twitch_polls"
    private let directory: String

    /// Creates and starts a cluster on a free port.
    public init() async throws {
        self.port = try freeLoopbackPort()
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-pg-\(UUID().uuidString.prefix(8))").path
        self.directory = base
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try Self.chownToPostgres(base)
        try await Self.run(
            Self.asPostgres + [Self.binary("initdb"), "-D", base + "/data", "-U", self.user, "-A", "trust", "--no-sync", "-E", "UTF8"],
            what: "initdb"
        )
        try await self.start()
        try await Self.run([Self.binary("createdb"), "-h", "127.0.0.1", "-p", "\(self.port)", "-U", self.user, self.database], what: "createdb")
    }

    /// Starts the server (again) on the same port; returns once it accepts connections.
    public func start() async throws {
        let options = "-p \(self.port) -k \(self.directory) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        try await Self.run(
            Self.asPostgres + [
                Self.binary("pg_ctl"), "-D", self.directory + "/data", "-o", options, "-l", self.directory + "/server.log", "-w", "-t", "60",
                "start",
            ],
            what: "pg_ctl start"
        )
    }

    /// Stops the server immediately, as a crash would, keeping its data.
    public func stop() async throws {
        try await Self.run(
            Self.asPostgres + [Self.binary("pg_ctl"), "-D", self.directory + "/data", "-m", "immediate", "-w", "stop"],
            what: "pg_ctl stop"
        )
    }

    deinit {
        // Best effort: stop the server and remove its folder; a test that failed midway must not leave it running.
        ChildProcess.runSynchronously(Self.asPostgres + [Self.binary("pg_ctl"), "-D", self.directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    private static func run(_ command: [String], what: String) async throws {
        let process = try ChildProcess(command[0], Array(command.dropFirst()))
        let status = try await process.waitForExit(timeout: .seconds(120))
        guard status == 0 else {
            throw ChildProcess.Timeout(description: "\(what) failed (\(status)):\n" + process.output.joined(separator: "\n"))
        }
    }

    /// The path of a PostgreSQL program (`pg_dump`, `initdb` …) of the newest installed server version.
    public static func binary(_ name: String) -> String {
        for version in ["17", "16", "15", "14", "13"] {
            let path = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/usr/bin/\(name)"
    }

    /// The command prefix that runs a program as the `postgres` user when we are root.
    private static var asPostgres: [String] {
        getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
    }

    private static func chownToPostgres(_ path: String) throws {
        guard getuid() == 0, let user = getpwnam("postgres") else { return }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else { throw POSIXError(.EPERM) }
    }
}
