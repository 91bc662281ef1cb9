public import NIOCore

/// One Server-Sent Events message, encoded as the `text/event-stream` wire format.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` name (e.g. `poll.tally`); nil for the default `message` event.
    public var event: String?
    /// The `id:` (e.g. `<pollId>:<version>`), echoed by clients in `Last-Event-ID`.
    public var id: String?
    /// The payload; each line becomes one `data:` field.
    public var data: String
    /// A `retry:` reconnection delay in milliseconds.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, id: String? = nil, data: String, retry: Int? = nil) {
        self.event = event
        self.id = id
        self.data = data
        self.retry = retry
    }

    /// Writes the event, terminated by a blank line, into `buffer`.
    ///
    /// CR and LF inside `event` and `id` are removed (they would end the field early); `data` is split on
    /// CRLF, CR or LF so every line stays a `data:` field and a client joins them back with LF.
    public func write(into buffer: inout ByteBuffer) {
        if let retry { buffer.writeString("retry: \(max(0, retry))\n") }
        if let id { buffer.writeString("id: \(Self.singleLine(id))\n") }
        if let event { buffer.writeString("event: \(Self.singleLine(event))\n") }
        var start = self.data.startIndex
        var index = start
        while index < self.data.endIndex {
            let character = self.data[index]
            if character == "\n" || character == "\r" || character == "\r\n" {
                buffer.writeString("data: \(self.data[start..<index])\n")
                start = self.data.index(after: index)
            }
            index = self.data.index(after: index)
        }
        buffer.writeString("data: \(self.data[start...])\n\n")
    }

    /// The encoded event as a new buffer.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        self.write(into: &buffer)
        return buffer
    }

    /// The heartbeat: the `: ping` comment for proxies, then an `event: ping` with `data: {}` that an
    /// `EventSource` does dispatch, so a browser's watchdog can tell an idle stream from a dead one.
    ///
    /// It has no `id:` field, so a client's `Last-Event-ID` stays the last poll event's id.
    public static let heartbeat = ByteBuffer(string: ": ping\nevent: ping\ndata: {}\n\n")

    private static func singleLine(_ text: String) -> String {
        String(text.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
    }
}
