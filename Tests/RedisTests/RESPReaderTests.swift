import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

/// Decoding RESP2 replies with the hiredis-backed reader, byte for byte.
@Suite(.timeLimit(.minutes(1))) struct RESPReaderTests {
    /// Every reply type, nested arrays, null bulk/array, and a binary bulk with CRLF inside.
    static let composite: [(bytes: String, value: RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR bad thing\r\n", .error("ERR bad thing")),
        (":42\r\n", .integer(42)),
        (":-7\r\n", .integer(-7)),
        ("$5\r\nhello\r\n", .bulkString(ByteBuffer(string: "hello"))),
        ("$0\r\n\r\n", .bulkString(ByteBuffer())),
        ("$-1\r\n", .bulkString(nil)),
        ("*-1\r\n", .array(nil)),
        ("*0\r\n", .array([])),
        ("$4\r\na\r\nb\r\n", .bulkString(ByteBuffer(string: "a\r\nb"))),
        (
            "*4\r\n:1\r\n$3\r\nfoo\r\n*2\r\n$-1\r\n*2\r\n+nested\r\n*-1\r\n-ERR inner\r\n",
            .array([
                .integer(1),
                .bulkString(ByteBuffer(string: "foo")),
                .array([.bulkString(nil), .array([.simpleString("nested"), .array(nil)])]),
                .error("ERR inner"),
            ])
        ),
    ]

    static var compositeBytes: [UInt8] { Array(composite.map(\.bytes).joined().utf8) }
    static var compositeValues: [RESPValue] { composite.map(\.value) }

    private func decodeAll(_ chunks: [ArraySlice<UInt8>], reader: RESPReader) throws -> [RESPValue] {
        var values: [RESPValue] = []
        for chunk in chunks {
            try reader.feed(ByteBuffer(bytes: chunk))
            while let value = try reader.next() {
                values.append(value)
            }
        }
        return values
    }

    private func makeReader(maxReplyBytes: Int = 1 << 20, maxReplyElements: Int = 1 << 16) -> RESPReader {
        RESPReader(maxReplyBytes: maxReplyBytes, maxReplyElements: maxReplyElements)
    }

    @Test func eachReplyTypeDecodesAlone() throws {
        for (bytes, value) in Self.composite {
            let decoded = try self.decodeAll([ArraySlice(bytes.utf8)], reader: self.makeReader())
            #expect(decoded == [value], "decoding \(bytes.debugDescription)")
        }
    }

    @Test func multiReplyBufferDecodesInOrder() throws {
        let decoded = try self.decodeAll([ArraySlice(Self.compositeBytes)], reader: self.makeReader())
        #expect(decoded == Self.compositeValues)
    }

    @Test func replyCutAtEveryByteBoundaryDecodesTheSame() throws {
        let bytes = Self.compositeBytes
        for split in 0...bytes.count {
            let decoded = try self.decodeAll([bytes[..<split], bytes[split...]], reader: self.makeReader())
            #expect(decoded == Self.compositeValues, "split at byte \(split)")
        }
    }

    @Test func replyFedOneByteAtATimeDecodesTheSame() throws {
        let bytes = Self.compositeBytes
        let chunks = bytes.indices.map { bytes[$0...$0] }
        #expect(try self.decodeAll(chunks, reader: self.makeReader()) == Self.compositeValues)
    }

    @Test func replyCutAtEveryPairOfBoundariesDecodesTheSame() throws {
        // The nested array alone, cut twice at every pair of points.
        let bytes = Array(Self.composite.last!.bytes.utf8)
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let chunks = [bytes[..<first], bytes[first..<second], bytes[second...]]
                let decoded = try self.decodeAll(chunks, reader: self.makeReader())
                #expect(decoded == [Self.composite.last!.value], "cuts at \(first), \(second)")
            }
        }
    }

    @Test func decoderInPipelineFiresEveryBufferedReply() async throws {
        let channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(RESPReplyDecoder(maxReplyBytes: 1 << 20, maxReplyElements: 1 << 16))
            )
        }
        let bytes = Self.compositeBytes
        // Two reads, the first ending mid-reply: all complete replies must come out of each read.
        let split = bytes.count / 2
        try await channel.writeInbound(ByteBuffer(bytes: bytes[..<split]))
        var decoded: [RESPValue] = []
        while let value = try await channel.readInbound(as: RESPValue.self) { decoded.append(value) }
        #expect(!decoded.isEmpty && decoded.count < Self.composite.count)
        try await channel.writeInbound(ByteBuffer(bytes: bytes[split...]))
        while let value = try await channel.readInbound(as: RESPValue.self) { decoded.append(value) }
        #expect(decoded == Self.compositeValues)
        _ = try await channel.finish()
    }

    // MARK: Hostile replies

    private func expectFailure(
        _ bytes: String,
        code: RedisError.Code,
        maxReplyBytes: Int = 1 << 20,
        maxReplyElements: Int = 1 << 16,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let reader = self.makeReader(maxReplyBytes: maxReplyBytes, maxReplyElements: maxReplyElements)
        let error = #expect(throws: RedisError.self, sourceLocation: sourceLocation) {
            _ = try self.decodeAll([ArraySlice(bytes.utf8)], reader: reader)
        }
        #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
        // The reader stays failed: more input cannot resynchronise it.
        #expect(throws: RedisError.self, sourceLocation: sourceLocation) {
            _ = try self.decodeAll([ArraySlice("+OK\r\n".utf8)], reader: reader)
        }
    }

    @Test func hugeArrayHeaderIsRefusedWithoutAllocating() throws {
        try self.expectFailure("*2000000000\r\n", code: .replyTooLarge, maxReplyElements: 1 << 20)
    }

    @Test func arrayHeaderBeyondIntIsAProtocolOrSizeError() throws {
        let reader = self.makeReader()
        let error = #expect(throws: RedisError.self) {
            _ = try self.decodeAll([ArraySlice("*99999999999999\r\n".utf8)], reader: reader)
        }
        #expect(error?.code == .protocolError || error?.code == .replyTooLarge)
    }

    @Test func elementBudgetCountsNestedArrays() throws {
        // 60 + 60 declared elements exceed a budget of 100 although each array alone fits.
        try self.expectFailure("*60\r\n*60\r\n", code: .replyTooLarge, maxReplyElements: 100)
    }

    @Test func bulkLengthBeyondLimitIsRefusedFromItsHeader() throws {
        try self.expectFailure("$100000000\r\n", code: .replyTooLarge, maxReplyBytes: 1 << 20)
        // Refused while the length line is still arriving: its digits so far already exceed the limit.
        try self.expectFailure("$2000000", code: .replyTooLarge, maxReplyBytes: 1 << 20)
        // A length beyond Int64 is malformed.
        try self.expectFailure("$99999999999999999999999\r\n", code: .protocolError)
    }

    @Test func byteBudgetCountsEveryStringOfAReply() throws {
        let part = String(repeating: "x", count: 600)
        try self.expectFailure("*2\r\n$600\r\n\(part)\r\n$600\r\n\(part)\r\n", code: .replyTooLarge, maxReplyBytes: 1000)
    }

    @Test func budgetIsPerReply() throws {
        // Two replies of 600 bytes each fit a 1000-byte budget one at a time.
        let part = String(repeating: "x", count: 600)
        let decoded = try self.decodeAll(
            [ArraySlice("$600\r\n\(part)\r\n$600\r\n\(part)\r\n".utf8)],
            reader: self.makeReader(maxReplyBytes: 1000)
        )
        #expect(decoded.count == 2)
    }

    @Test func endlessStatusLineIsRefused() throws {
        try self.expectFailure("+" + String(repeating: "a", count: 5000), code: .replyTooLarge, maxReplyBytes: 1000, maxReplyElements: 10)
    }

    @Test func nestingBeyondSevenLevelsIsAProtocolError() throws {
        let sevenDeep = String(repeating: "*1\r\n", count: 7) + ":1\r\n"
        var value = RESPValue.integer(1)
        for _ in 0..<7 { value = .array([value]) }
        #expect(try self.decodeAll([ArraySlice(sevenDeep.utf8)], reader: self.makeReader()) == [value])
        try self.expectFailure(String(repeating: "*1\r\n", count: 9) + ":1\r\n", code: .protocolError)
    }

    @Test func garbageTypeByteIsAProtocolError() throws {
        try self.expectFailure("!oops\r\n", code: .protocolError)
        try self.expectFailure("*1\r\n?\r\n", code: .protocolError)
    }

    @Test func malformedLengthsAreProtocolErrors() throws {
        try self.expectFailure("$abc\r\n", code: .protocolError)
        try self.expectFailure("*-5\r\n", code: .protocolError)
        try self.expectFailure(":12x\r\n", code: .protocolError)
    }
}
