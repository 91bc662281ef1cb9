import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

/// The command connection on a `NIOAsyncTestingChannel`: exact bytes out, replies in.
@Suite(.timeLimit(.minutes(1))) struct RedisConnectionWireTests {
    @Test func commandEncodingIsARESPArrayOfBulkStrings() async throws {
        var buffer = ByteBuffer()
        RedisCommand("SET", "key", "välue").encode(into: &buffer)
        RedisCommand("PING").encode(into: &buffer)
        RedisCommand("PUBLISH", arguments: [ByteBuffer(string: "ch"), ByteBuffer(bytes: [0, 13, 10, 255])]).encode(into: &buffer)
        RedisCommand("ECHO", [String(repeating: "z", count: 12)]).encode(into: &buffer)
        var expected = ByteBuffer(string: "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nvälue\r\n*1\r\n$4\r\nPING\r\n")
        expected.writeString("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$4\r\n")
        expected.writeBytes([0, 13, 10, 255])
        expected.writeString("\r\n*2\r\n$4\r\nECHO\r\n$12\r\nzzzzzzzzzzzz\r\n")
        #expect(buffer == expected)
    }

    @Test func executeWritesTheCommandAndReturnsItsReply() async throws {
        let test = try await TestingConnection()
        for (reply, value) in RESPReaderTests.composite where value != .error("ERR bad thing") && value != .error("ERR inner") {
            let result = Task { try await test.connection.execute(RedisCommand("GET", "k")) }
            #expect(try await test.nextWrite() == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
            try await test.reply(reply)
            #expect(try await result.value == value)
        }
        _ = try await test.channel.finish()
    }

    @Test func errorReplyIsThrownAsServerError() async throws {
        let test = try await TestingConnection()
        let result = Task { try await test.connection.execute(RedisCommand("INCR", "k")) }
        _ = try await test.nextWrite()
        try await test.reply("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
        let error = await #expect(throws: RedisError.self) { try await result.value }
        #expect(error?.code == .server)
        #expect(error?.message == "WRONGTYPE Operation against a key holding the wrong kind of value")
        #expect(test.channel.isActive, "an error reply leaves the connection usable")
        _ = try await test.channel.finish()
    }

    @Test func noScriptReplyHasItsOwnCode() async throws {
        let test = try await TestingConnection()
        let result = Task { try await test.connection.execute(RedisCommand("EVALSHA", "abc", "0")) }
        _ = try await test.nextWrite()
        try await test.reply("-NOSCRIPT No matching script. Please use EVAL.\r\n")
        let error = await #expect(throws: RedisError.self) { try await result.value }
        #expect(error?.code == .noScript)
        _ = try await test.channel.finish()
    }

    @Test func pipelinedBatchOf10000IncrsIsOneWriteAndOneFlush() async throws {
        let test = try await TestingConnection()
        let commands = (0..<10_000).map { _ in RedisCommand("INCR", "counter") }
        let results = Task { try await test.connection.execute(commands) }

        let written = try await test.channel.waitForOutboundWrite(as: ByteBuffer.self)
        let one = "*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n"
        #expect(written == ByteBuffer(string: String(repeating: one, count: 10_000)))
        #expect(try await test.channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(test.counter.flushes == 1)
        #expect(test.counter.writes == 1)

        // Replies arrive in uneven chunks, one of them mid-reply.
        let replies = (1...10_000).map { ":\($0)\r\n" }.joined()
        let bytes = Array(replies.utf8)
        var start = 0
        for end in [7, 4_096, 30_001, bytes.count] {
            try await test.channel.writeInbound(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        let values = try await results.value.map { try $0.get() }
        #expect(values == (1...10_000).map { RESPValue.integer(Int64($0)) })
        #expect(test.counter.flushes == 1)
        _ = try await test.channel.finish()
    }

    @Test func batchErrorRepliesAreResultsNotThrows() async throws {
        let test = try await TestingConnection()
        let results = Task {
            try await test.connection.execute([RedisCommand("SET", "a", "1"), RedisCommand("INCR", "b"), RedisCommand("GET", "a")])
        }
        _ = try await test.nextWrite()
        try await test.reply("+OK\r\n-ERR value is not an integer or out of range\r\n$1\r\n1\r\n")
        let values = try await results.value
        #expect(try values[0].get() == .simpleString("OK"))
        #expect(throws: RedisError.self) { try values[1].get() }
        #expect(try values[2].get() == .bulkString(ByteBuffer(string: "1")))
        _ = try await test.channel.finish()
    }

    @Test func concurrentCallersAreAnsweredInWriteOrder() async throws {
        let test = try await TestingConnection()
        let first = Task { try await test.connection.execute(RedisCommand("GET", "a")) }
        #expect(try await test.nextWrite() == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
        let second = Task { try await test.connection.execute(RedisCommand("GET", "b")) }
        #expect(try await test.nextWrite() == "*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")
        try await test.reply("$1\r\nA\r\n$1\r\nB\r\n")
        #expect(try await first.value == .bulkString(ByteBuffer(string: "A")))
        #expect(try await second.value == .bulkString(ByteBuffer(string: "B")))
        _ = try await test.channel.finish()
    }

    @Test func commandTimesOutAndClosesTheConnection() async throws {
        let test = try await TestingConnection(configuration: RedisConfiguration(commandTimeout: .seconds(5)))
        let slow = Task { try await test.connection.execute(RedisCommand("GET", "a")) }
        _ = try await test.nextWrite()
        let queued = Task { try await test.connection.execute(RedisCommand("GET", "b")) }
        _ = try await test.nextWrite()

        await test.channel.testingEventLoop.advanceTime(by: .seconds(4))
        #expect(test.channel.isActive, "not yet expired")
        await test.channel.testingEventLoop.advanceTime(by: .seconds(1))

        let slowError = await #expect(throws: RedisError.self) { try await slow.value }
        #expect(slowError?.code == .timeout)
        let queuedError = await #expect(throws: RedisError.self) { try await queued.value }
        #expect(queuedError?.code == .connectionClosed)
        try await test.channel.closeFuture.get()
        // A late reply would have been misaligned; the connection is gone instead.
        let after = await #expect(throws: RedisError.self) { try await test.connection.execute(RedisCommand("PING")) }
        #expect(after?.code == .connectionClosed)
    }

    @Test func timerFollowsTheOldestPendingCommand() async throws {
        let test = try await TestingConnection(configuration: RedisConfiguration(commandTimeout: .seconds(5)))
        let first = Task { try await test.connection.execute(RedisCommand("GET", "a")) }
        _ = try await test.nextWrite()
        await test.channel.testingEventLoop.advanceTime(by: .seconds(3))
        let second = Task { try await test.connection.execute(RedisCommand("GET", "b")) }
        _ = try await test.nextWrite()
        try await test.reply("+A\r\n")
        #expect(try await first.value == .simpleString("A"))
        // The first deadline passes; the second command (sent at t=3 s) still has 3 s left.
        await test.channel.testingEventLoop.advanceTime(by: .seconds(3))
        #expect(test.channel.isActive)
        try await test.reply("+B\r\n")
        #expect(try await second.value == .simpleString("B"))
        await test.channel.testingEventLoop.advanceTime(by: .seconds(10))
        #expect(test.channel.isActive, "no command pending, no timeout")
        _ = try await test.channel.finish()
    }

    @Test func pendingCommandFailsWhenTheConnectionDrops() async throws {
        let test = try await TestingConnection()
        let pending = Task { try await test.connection.execute([RedisCommand("GET", "a"), RedisCommand("GET", "b")]) }
        _ = try await test.nextWrite()
        try await test.reply("+half\r\n")
        try await test.channel.close()
        let error = await #expect(throws: RedisError.self) { try await pending.value }
        #expect(error?.code == .connectionClosed)
    }

    @Test func unexpectedReplyIsAProtocolErrorThatClosesTheConnection() async throws {
        let logs = LogCapture()
        let test = try await TestingConnection(logger: logs.logger)
        try await test.reply("+surprise\r\n")
        try await test.channel.closeFuture.get()
        let record = await logs.first("Redis connection error")
        #expect(record?.metadata["redis.error"]?.hasPrefix("protocolError") == true)
        let error = await #expect(throws: RedisError.self) { try await test.connection.execute(RedisCommand("PING")) }
        #expect(error?.code == .connectionClosed)
    }

    @Test(arguments: [
        ("*2000000000\r\n", RedisError.Code.replyTooLarge),
        ("$100000000\r\n", .replyTooLarge),
        (String(repeating: "*1\r\n", count: 9) + ":1\r\n", .protocolError),
        ("!garbage\r\n", .protocolError),
    ])
    func hostileReplyFailsTheCommandAndClosesTheConnection(reply: String, code: RedisError.Code) async throws {
        let test = try await TestingConnection(configuration: RedisConfiguration(maxReplyBytes: 1 << 20, maxReplyElements: 1 << 20))
        let first = Task { try await test.connection.execute(RedisCommand("GET", "a")) }
        _ = try await test.nextWrite()
        let second = Task { try await test.connection.execute(RedisCommand("GET", "b")) }
        _ = try await test.nextWrite()
        try await test.reply(reply)
        let error = await #expect(throws: RedisError.self) { try await first.value }
        #expect(error?.code == code)
        let secondError = await #expect(throws: RedisError.self) { try await second.value }
        #expect(secondError?.code == code)
        try await test.channel.closeFuture.get()
        #expect(!test.channel.isActive)
    }
}
