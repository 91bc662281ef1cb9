import Foundation
import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import Redis

/// Tests that stop, restart or reconfigure Redis run against their own `redis-server` process.
@Suite(.timeLimit(.minutes(1))) struct RedisOwnServerTests {
    @Test func reconnectsAfterTheServerIsKilledAndRestarted() async throws {
        let server = try await RedisServerProcess()
        let logs = LogCapture()
        try await withRedisClient(server.configuration, logger: logs.logger) { client in
            #expect(try await client.execute(RedisCommand("SET", "k", "before")) == .simpleString("OK"))
            let connected = await logs.first("Redis connected")
            #expect(connected?.metadata["redis.port"] == String(server.port))

            try await server.stop()
            #expect(await client.waitUntil(connected: false, timeout: .seconds(10)), "the drop is noticed")
            #expect(!client.isConnected)
            // Fails at once instead of waiting for the reconnect.
            let error = await #expect(throws: RedisError.self) { try await client.execute(RedisCommand("PING")) }
            #expect(error?.code == .connectionUnavailable)
            let batchError = await #expect(throws: RedisError.self) { try await client.execute([RedisCommand("PING")]) }
            #expect(batchError?.code == .connectionUnavailable)
            #expect(await logs.first("Redis disconnected") != nil)

            try await server.start()
            #expect(await client.waitUntil(connected: true, timeout: .seconds(10)), "back within the backoff cap")
            #expect(try await client.execute(RedisCommand("PING")) == .simpleString("PONG"))
        }
        try await server.stop()
    }

    @Test func startsWhileRedisIsDownAndConnectsWhenItComesUp() async throws {
        let server = try await RedisServerProcess()
        try await server.stop()
        try await withRedisClient(server.configuration, requireConnection: false) { client in
            let error = await #expect(throws: RedisError.self) { try await client.execute(RedisCommand("PING")) }
            #expect(error?.code == .connectionUnavailable)
            try await server.start()
            #expect(await client.waitUntil(connected: true, timeout: .seconds(10)))
            #expect(try await client.execute(RedisCommand("PING")) == .simpleString("PONG"))
        }
        try await server.stop()
    }

    @Test func pendingCommandFailsWithConnectionClosedWhenTheServerDies() async throws {
        let server = try await RedisServerProcess()
        try await withRedisClient(server.configuration) { client in
            let key = uniqueName()
            let blocked = Task { try await client.execute(RedisCommand("BLPOP", key, "0")) }
            // Wait until the server has the BLPOP parked, observed from a second connection.
            let observer = try await RedisConnection.connect(
                configuration: server.configuration,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: LogCapture().logger
            )
            while try await observer.execute(RedisCommand("INFO", "clients")).string?.contains("blocked_clients:1") != true {
                await Task.yield()
            }
            observer.close()
            try await server.stop()
            let error = await #expect(throws: RedisError.self) { try await blocked.value }
            #expect(error?.code == .connectionClosed)
        }
    }

    @Test func authenticatesWithTheRightPassword() async throws {
        let server = try await RedisServerProcess(password: "s3cret")
        var configuration = server.configuration
        configuration.password = "s3cret"
        try await withRedisClient(configuration) { client async throws in
            #expect(try await client.execute(RedisCommand("PING")) == .simpleString("PONG"))
        }
        try await server.stop()
    }

    @Test func wrongPasswordIsAClearErrorAndNeverConnects() async throws {
        let server = try await RedisServerProcess(password: "s3cret")
        var configuration = server.configuration
        configuration.password = "wr0ng-pa55"

        let error = await #expect(throws: RedisError.self) {
            _ = try await RedisConnection.connect(
                configuration: configuration,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: LogCapture().logger
            )
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.message.contains("WRONGPASS") == true || error?.message.contains("invalid") == true)

        let logs = LogCapture()
        try await withRedisClient(configuration, logger: logs.logger, requireConnection: false) { client in
            let failure = await logs.first("Redis connection failed")
            #expect(failure?.metadata["redis.error"]?.contains("authenticationFailed") == true)
            #expect(logs.all.allSatisfy { !"\($0.message) \($0.metadata)".contains("wr0ng-pa55") }, "the password is never logged")
            #expect(!client.isConnected)
            let executeError = await #expect(throws: RedisError.self) { try await client.execute(RedisCommand("PING")) }
            #expect(executeError?.code == .connectionUnavailable)
        }
        try await server.stop()
    }

    @Test func evalScriptReloadsAfterScriptFlush() async throws {
        let server = try await RedisServerProcess()
        try await withRedisClient(server.configuration) { client in
            let script = RedisScript("return redis.call('INCR', KEYS[1])")
            #expect(try await client.evalScript(script, keys: ["n"], arguments: []) == .integer(1))
            _ = try await client.execute(RedisCommand("SCRIPT", "FLUSH"))
            #expect(try await client.execute(RedisCommand("SCRIPT", "EXISTS", script.sha1)) == .array([.integer(0)]))
            #expect(try await client.evalScript(script, keys: ["n"], arguments: []) == .integer(2))
            _ = try await client.execute(RedisCommand("SCRIPT", "FLUSH"))
            let results = try await client.evalScripts([(script, ["n"], []), (script, ["n"], [])])
            #expect(try results.map { try $0.get() } == [.integer(3), .integer(4)])
        }
        try await server.stop()
    }

    @Test func subscriptionThrowsConnectionClosedWhenTheServerDies() async throws {
        let server = try await RedisServerProcess()
        try await withRedisClient(server.configuration) { client in
            let error = await #expect(throws: RedisError.self) {
                try await client.subscribe(to: ["news"]) { subscription in
                    _ = try await client.execute(RedisCommand("PUBLISH", "news", "first"))
                    var iterator = subscription.makeAsyncIterator()
                    #expect(try await iterator.next().map { String(buffer: $0.payload) } == "first")
                    try await server.stop()
                    while try await iterator.next() != nil {}
                    Issue.record("the subscription ended without an error")
                }
            }
            #expect(error?.code == .connectionClosed)
        }
    }

    @Test func slowSubscriberIsDroppedInsteadOfBufferingWithoutBound() async throws {
        let server = try await RedisServerProcess()
        var configuration = server.configuration
        configuration.subscriptionBufferSize = 10
        let logs = LogCapture()
        try await withRedisClient(configuration, logger: logs.logger) { client in
            let error = await #expect(throws: RedisError.self) {
                try await client.subscribe(to: ["flood"]) { subscription in
                    _ = try await client.execute(Array(repeating: RedisCommand("PUBLISH", "flood", "x"), count: 50))
                    // Consume nothing until the overflow has closed the pub/sub connection.
                    let overflow = await logs.first("Redis connection error")
                    #expect(overflow?.metadata["redis.error"]?.contains("too slow") == true)
                    var count = 0
                    for try await _ in subscription { count += 1 }
                    #expect(count == 10)
                }
            }
            #expect(error?.code == .connectionClosed)
            #expect(error?.message.contains("too slow") == true)
        }
        try await server.stop()
    }
}
