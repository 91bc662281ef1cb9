// The only file that touches hiredis: every C pointer is created, read and freed here.
import CHiredis
import NIOCore

/// Turns RESP2 bytes into ``RESPValue``s with hiredis's reader, bounded by a reply budget.
///
/// Replies are copied out of hiredis into Swift values at once and the C objects freed; no hiredis
/// pointer leaves this type. After the first error the reader is poisoned and keeps throwing it.
final class RESPReader {
    private var reader: UnsafeMutablePointer<redisReader>?
    private let maxReplyBytes: Int
    private let maxReplyElements: Int
    private let allocator = ByteBufferAllocator()
    private var failure: RedisError?

    /// Creates a reader that refuses replies larger than the given budget.
    /// - Parameters:
    ///   - maxReplyBytes: Cap on string payload bytes in one reply (summed over nested values).
    ///   - maxReplyElements: Cap on array elements in one reply (summed over nested arrays).
    init(maxReplyBytes: Int, maxReplyElements: Int) {
        precondition(maxReplyBytes > 0 && maxReplyElements >= 0, "reply limits must be positive")
        self.maxReplyBytes = maxReplyBytes
        self.maxReplyElements = maxReplyElements
        guard let reader = tumulte_reader_create(max(maxReplyBytes, 0), max(maxReplyElements, 0)) else {
            fatalError("out of memory creating a hiredis reader")
        }
        self.reader = reader
    }

    deinit {
        tumulte_reader_free(self.reader)
    }

    /// Releases the hiredis reader now; later calls throw ``RedisError/Code/connectionClosed``.
    func close() {
        tumulte_reader_free(self.reader)
        self.reader = nil
        if self.failure == nil {
            self.failure = RedisError(.connectionClosed, message: "reply reader closed")
        }
    }

    /// Hands bytes to the reader; they are copied.
    func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let reader = try self.liveReader()
        let status = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return REDIS_OK }
            return redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        if status != REDIS_OK {
            throw self.poison(self.readerError(reader))
        }
    }

    /// The next complete reply, or `nil` when more bytes are needed.
    func next() throws(RedisError) -> RESPValue? {
        let reader = try self.liveReader()
        var reply: UnsafeMutablePointer<redisReply>?
        guard tumulte_reader_get_reply(reader, &reply) == REDIS_OK else {
            throw self.poison(self.readerError(reader))
        }
        guard let reply else {
            try self.checkPendingInput(reader)
            return nil
        }
        defer { tumulte_reply_free(reply) }
        return self.convert(reply)
    }

    // MARK: Private

    private func liveReader() throws(RedisError) -> UnsafeMutablePointer<redisReader> {
        if let failure = self.failure { throw failure }
        guard let reader = self.reader else {
            throw self.poison(RedisError(.connectionClosed, message: "reply reader closed"))
        }
        return reader
    }

    private func poison(_ error: RedisError) -> RedisError {
        self.failure = error
        return error
    }

    /// Refuses an incomplete reply that can only end beyond the byte budget.
    private func checkPendingInput(_ reader: UnsafeMutablePointer<redisReader>) throws(RedisError) {
        let pendingBulk = tumulte_reader_pending_bulk_length(reader)
        if pendingBulk > Int64(self.maxReplyBytes) {
            throw self.poison(
                RedisError(
                    .replyTooLarge,
                    message: "bulk string of \(pendingBulk) bytes exceeds maxReplyBytes (\(self.maxReplyBytes))"
                )
            )
        }
        // The unconsumed input of one reply: payload plus framing (a few bytes per element header).
        let buffered = tumulte_reader_buffered_bytes(reader)
        if buffered > self.maxReplyBytes + 32 * (self.maxReplyElements + 1) {
            throw self.poison(
                RedisError(
                    .replyTooLarge,
                    message: "incomplete reply of \(buffered) bytes exceeds maxReplyBytes (\(self.maxReplyBytes))"
                )
            )
        }
    }

    private func readerError(_ reader: UnsafeMutablePointer<redisReader>) -> RedisError {
        switch tumulte_reader_limit_exceeded(reader) {
        case TUMULTE_LIMIT_BYTES:
            return RedisError(.replyTooLarge, message: "reply exceeds maxReplyBytes (\(self.maxReplyBytes))")
        case TUMULTE_LIMIT_ELEMENTS:
            return RedisError(.replyTooLarge, message: "reply exceeds maxReplyElements (\(self.maxReplyElements))")
        case TUMULTE_LIMIT_ALLOCATION:
            return RedisError(.replyTooLarge, message: "could not allocate memory for a reply")
        case TUMULTE_LIMIT_INVALID:
            return RedisError(.protocolError, message: "invalid array length")
        default:
            let text = String(cString: tumulte_reader_error(reader))
            return RedisError(.protocolError, message: text.isEmpty ? "invalid RESP reply" : text)
        }
    }

    private func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let object = reply.pointee
        switch object.type {
        case REDIS_REPLY_STRING:
            var buffer = self.allocator.buffer(capacity: object.len)
            buffer.writeBytes(UnsafeRawBufferPointer(start: object.str, count: object.len))
            return .bulkString(buffer)
        case REDIS_REPLY_STATUS:
            return .simpleString(Self.text(object))
        case REDIS_REPLY_ERROR:
            return .error(Self.text(object))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(object.integer))
        case REDIS_REPLY_NIL:
            return object.integer == 1 ? .array(nil) : .bulkString(nil)
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(object.elements)
            for index in 0..<object.elements {
                // A complete reply has every slot filled; an empty one would be a hiredis bug.
                guard let element = object.element[index] else { return .array(nil) }
                elements.append(self.convert(element))
            }
            return .array(elements)
        default:
            return .error("unknown hiredis reply type \(object.type)")
        }
    }

    private static func text(_ object: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: object.str, count: object.len), as: UTF8.self)
    }
}

/// A NIO decoder from RESP2 bytes to ``RESPValue``, wrapping ``RESPReader``.
///
/// Each `decode` call moves all readable bytes into the reader and fires every complete reply,
/// so replies already buffered are never left waiting for the next read. Errors are
/// ``RedisError``s with code `protocolError` or `replyTooLarge`.
struct RESPReplyDecoder: ByteToMessageDecoder {
    /// Decoded values travel the pipeline as ``RESPValue``.
    typealias InboundOut = RESPValue

    private let reader: RESPReader

    /// Creates a decoder with the given reply budget.
    init(maxReplyBytes: Int, maxReplyElements: Int) {
        self.reader = RESPReader(maxReplyBytes: maxReplyBytes, maxReplyElements: maxReplyElements)
    }

    /// Feeds the bytes to hiredis and fires every complete reply.
    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            try self.reader.feed(buffer)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        while let value = try self.reader.next() {
            context.fireChannelRead(Self.wrapInboundOut(value))
        }
        return .needMoreData
    }

    /// Decodes what is left when the channel closes; an incomplete reply is dropped.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        _ = try self.decode(context: context, buffer: &buffer)
        return .needMoreData
    }

    /// Frees the hiredis reader when the handler leaves the pipeline.
    mutating func decoderRemoved(context: ChannelHandlerContext) {
        self.reader.close()
    }
}
