import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Redis

/// Against the shared `redis-server` at `REDIS_HOSTNAME`:`REDIS_PORT`; every key is unique and deleted.
@Suite(.timeLimit(.minutes(1))) struct RedisIntegrationTests {
    @Test func executeSetGetAndErrors() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            #expect(client.isConnected)
            #expect(try await client.execute(RedisCommand("SET", key, "héllo")) == .simpleString("OK"))
            #expect(try await client.execute(RedisCommand("GET", key)).string == "héllo")
            #expect(try await client.execute(RedisCommand("GET", key + ":missing")).isNull)
            let error = await #expect(throws: RedisError.self) { try await client.execute(RedisCommand("INCR", key)) }
            #expect(error?.code == .server)
            #expect(error?.message.hasPrefix("ERR") == true)
            #expect(try await client.execute(RedisCommand("PING")) == .simpleString("PONG"), "still usable after an error reply")
            try await deleteKeys([key], client: client)
        }
    }

    @Test func binaryValuesRoundTrip() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            let payload = ByteBuffer(bytes: (0...255).map { UInt8($0) } + [13, 10, 0])
            _ = try await client.execute(RedisCommand("SET", arguments: [ByteBuffer(string: key), payload]))
            #expect(try await client.execute(RedisCommand("GET", key)) == .bulkString(payload))
            try await deleteKeys([key], client: client)
        }
    }

    @Test func pipelinedBatchOf10000Incrs() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            let results = try await client.execute(Array(repeating: RedisCommand("INCR", key), count: 10_000))
            #expect(try results.map { try $0.get().int } == (1...10_000).map { Int64($0) })
            #expect(try await client.execute(RedisCommand("GET", key)).int == 10_000)
            try await deleteKeys([key], client: client)
        }
    }

    @Test func concurrentCallersShareTheConnection() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        for _ in 0..<20 { _ = try await client.execute(RedisCommand("INCR", key)) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.execute(RedisCommand("GET", key)).int == 1_000)
            try await deleteKeys([key], client: client)
        }
    }

    @Test func arraysAndNullsFromARealServer() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            _ = try await client.execute(RedisCommand("RPUSH", key, "a", "b", "c"))
            let range = try await client.execute(RedisCommand("LRANGE", key, "0", "-1"))
            #expect(range.array?.compactMap(\.string) == ["a", "b", "c"])
            let missing = try await client.execute(RedisCommand("BLPOP", key + ":missing", "0.01"))
            #expect(missing == .array(nil))
            try await deleteKeys([key], client: client)
        }
    }

    @Test func evalScriptLoadsOnNoScriptAndMatchesRedisSHA1() async throws {
        try await withRedisClient { client in
            let key = uniqueName()
            // A script no server has seen: the first EVALSHA is answered NOSCRIPT.
            let script = RedisScript("-- \(UUID().uuidString)\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(try await client.execute(RedisCommand("SCRIPT", "EXISTS", script.sha1)) == .array([.integer(0)]))
            #expect(try await client.evalScript(script, keys: [key], arguments: ["5"]) == .integer(5))
            #expect(try await client.execute(RedisCommand("SCRIPT", "EXISTS", script.sha1)) == .array([.integer(1)]))
            #expect(try await client.evalScript(script, keys: [key], arguments: ["2"]) == .integer(7))
            // Redis names the script the same way.
            #expect(try await client.execute(RedisCommand("SCRIPT", "LOAD", script.source)).string == script.sha1)
            try await deleteKeys([key], client: client)
        }
    }

    @Test func scriptErrorIsAServerError() async throws {
        try await withRedisClient { client in
            let script = RedisScript("-- \(UUID().uuidString)\nreturn redis.error_reply('ERR nope')")
            let error = await #expect(throws: RedisError.self) { try await client.evalScript(script, keys: [], arguments: []) }
            #expect(error?.code == .server)
            #expect(error?.message.contains("nope") == true)
        }
    }

    @Test func evalScriptsBatchLoadsEachMissingScriptOnceAndRunsEachCallOnce() async throws {
        try await withRedisClient { client in
            let counter = uniqueName("counter")
            let other = uniqueName("other")
            let increment = RedisScript("-- \(UUID().uuidString)\nreturn redis.call('INCR', KEYS[1])")
            let append = RedisScript("-- \(UUID().uuidString)\nreturn redis.call('APPEND', KEYS[1], ARGV[1])")
            // The second script is loaded already, so only the first gets NOSCRIPT.
            _ = try await client.execute(RedisCommand("SCRIPT", "LOAD", append.source))
            let calls: [(script: RedisScript, keys: [String], arguments: [String])] = [
                (increment, [counter], []),
                (append, [other], ["x"]),
                (increment, [counter], []),
                (append, [other], ["y"]),
                (increment, [counter], []),
            ]
            let results = try await client.evalScripts(calls)
            #expect(try results.map { try $0.get() } == [.integer(1), .integer(1), .integer(2), .integer(2), .integer(3)])
            // Every call ran exactly once: no double increments from the retry.
            #expect(try await client.execute(RedisCommand("GET", counter)).int == 3)
            #expect(try await client.execute(RedisCommand("GET", other)).string == "xy")
            try await deleteKeys([counter, other], client: client)
        }
    }

    @Test func selectedDatabaseIsUsed() async throws {
        var database3 = SharedRedis.configuration
        database3.database = 3
        let key = uniqueName()
        try await withRedisClient(database3) { client in
            _ = try await client.execute(RedisCommand("SET", key, "in-3"))
            #expect(try await client.execute(RedisCommand("CLIENT", "INFO")).string?.contains(" db=3 ") == true)
        }
        try await withRedisClient { client in
            #expect(try await client.execute(RedisCommand("GET", key)).isNull, "database 0 does not see it")
            _ = try await client.execute(RedisCommand("SELECT", "3"))
            #expect(try await client.execute(RedisCommand("GET", key)).string == "in-3")
            try await deleteKeys([key], client: client)
        }
    }

    @Test func invalidDatabaseIsAClearConnectError() async throws {
        var configuration = SharedRedis.configuration
        configuration.database = 100_000
        let error = await #expect(throws: RedisError.self) {
            _ = try await RedisConnection.connect(
                configuration: configuration,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: LogCapture().logger
            )
        }
        #expect(error?.code == .server)
        #expect(error?.message.contains("SELECT") == true)
    }

    @Test func subscribeReceivesPublishedMessagesAndUnsubscribesOnExit() async throws {
        try await withRedisClient { client in
            let channel = uniqueName("channel")
            let received = try await client.subscribe(to: [channel]) { subscription in
                // Subscribed before the body runs: the publish reaches exactly one subscriber.
                #expect(try await client.execute(RedisCommand("PUBLISH", channel, "one")) == .integer(1))
                #expect(try await client.execute(RedisCommand("PUBLISH", channel, "two")) == .integer(1))
                var payloads: [String] = []
                for try await message in subscription {
                    #expect(message.channel == channel)
                    payloads.append(String(buffer: message.payload))
                    if payloads.count == 2 { break }
                }
                return payloads
            }
            #expect(received == ["one", "two"])
            let subscribers = try await client.execute(RedisCommand("PUBSUB", "NUMSUB", channel))
            #expect(subscribers.array?.last == .integer(0))
            #expect(try await client.execute(RedisCommand("PUBLISH", channel, "late")) == .integer(0))
        }
    }

    @Test func subscriptionEndsAndUnsubscribesWhenTheTaskIsCancelled() async throws {
        try await withRedisClient { client async throws in
            let channel = uniqueName("channel")
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await client.subscribe(to: [channel]) { subscription in
                    startedContinuation.yield()
                    var count = 0
                    for try await _ in subscription { count += 1 }
                    return count
                }
            }
            for await _ in started { break }
            #expect(try await client.execute(RedisCommand("PUBSUB", "NUMSUB", channel)).array?.last == .integer(1))
            task.cancel()
            #expect(try await task.value == 0)
            #expect(try await client.execute(RedisCommand("PUBSUB", "NUMSUB", channel)).array?.last == .integer(0))
        }
    }

    @Test func subscribeToSeveralChannelsAndBinaryPayloads() async throws {
        try await withRedisClient { client in
            let first = uniqueName("channel")
            let second = uniqueName("channel")
            let payload = ByteBuffer(bytes: [0, 1, 13, 10, 255])
            let messages = try await client.subscribe(to: [first, second]) { subscription in
                _ = try await client.execute(RedisCommand("PUBLISH", arguments: [ByteBuffer(string: second), payload]))
                _ = try await client.execute(RedisCommand("PUBLISH", first, "text"))
                var messages: [RedisPubSubMessage] = []
                for try await message in subscription {
                    messages.append(message)
                    if messages.count == 2 { break }
                }
                return messages
            }
            #expect(
                messages == [
                    RedisPubSubMessage(channel: second, payload: payload), RedisPubSubMessage(channel: first, payload: ByteBuffer(string: "text")),
                ]
            )
        }
    }
}
