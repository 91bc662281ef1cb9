public import Redis

extension TestServices {
    /// Configuration of the shared test Redis.
    public static var redisConfiguration: RedisConfiguration {
        var configuration = RedisConfiguration()
        configuration.host = redisHost
        configuration.port = redisPort
        return configuration
    }

    /// Runs `body` with a connected client (the shared test Redis unless `configuration` says otherwise).
    public static func withRedisClient<T: Sendable>(
        _ configuration: RedisConfiguration = redisConfiguration,
        _ body: @Sendable (RedisClient) async throws -> T
    ) async throws -> T {
        let client = RedisClient(configuration: configuration, logger: quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.waitUntilConnected()
            return try await body(client)
        }
    }
}

extension RedisClient {
    /// Waits until the client has a connection; throws after `timeout`.
    public func waitUntilConnected(timeout: Duration = .seconds(10)) async throws {
        guard await self.waitUntil(connected: true, timeout: timeout) else {
            throw ChildProcess.Timeout(description: "Redis client did not connect within \(timeout)")
        }
    }
}
