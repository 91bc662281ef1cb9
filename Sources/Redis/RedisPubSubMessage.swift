public import NIOCore

/// A message received on a subscribed channel.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel the message was published to.
    public let channel: String
    /// The published payload, as raw bytes.
    public let payload: ByteBuffer

    /// Creates a message (useful for fakes in tests).
    /// - Parameters:
    ///   - channel: The channel name.
    ///   - payload: The payload bytes.
    public init(channel: String, payload: ByteBuffer) {
        self.channel = channel
        self.payload = payload
    }

    /// Reads a RESP2 pub/sub push `["message", channel, payload]`; `nil` for anything else.
    init?(push value: RESPValue) {
        guard case .array(let items?) = value, items.count == 3,
            case .bulkString(let kind?) = items[0], kind.readableBytesView.elementsEqual("message".utf8),
            case .bulkString(let channel?) = items[1],
            case .bulkString(let payload?) = items[2]
        else { return nil }
        self.channel = String(buffer: channel)
        self.payload = payload
    }
}
