import Logging
import ServiceLifecycle
import Testing

@testable import Redis

/// ``RedisClient`` as a `Service` in a `ServiceGroup`.
@Suite(.timeLimit(.minutes(1))) struct RedisClientLifecycleTests {
    @Test func runReturnsOnGracefulShutdownAndClosesTheConnection() async throws {
        let logs = LogCapture()
        let client = RedisClient(configuration: SharedRedis.configuration, logger: logs.logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [client],
                logger: Logger(label: "tumulte.redis.tests.group") { _ in SwiftLogNoOpLogHandler() }
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            guard await client.waitUntil(connected: true, timeout: .seconds(10)) else {
                throw TestFailure(
                    "Redis is not reachable at \(SharedRedis.host):\(SharedRedis.port) (set REDIS_HOSTNAME / REDIS_PORT)"
                )
            }
            #expect(try await client.execute(RedisCommand("PING")) == .simpleString("PONG"))
            await group.triggerGracefulShutdown()
            // The group only finishes once run() has returned.
            try await tasks.waitForAll()
        }
        #expect(!client.isConnected)
        #expect(await logs.first("Redis disconnected") != nil)
        let error = await #expect(throws: RedisError.self) { try await client.execute(RedisCommand("PING")) }
        #expect(error?.code == .connectionUnavailable)
    }
}
