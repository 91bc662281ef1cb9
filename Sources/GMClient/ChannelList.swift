/// The answer of `GET /api/v1/channels`: `{"channels":[channel,…]}`, sorted by login.
public struct ChannelList: Decodable, Sendable, Equatable {
    /// The channels.
    public let channels: [Channel]

    /// Creates a list.
    /// - Parameter channels: the channels.
    public init(channels: [Channel]) {
        self.channels = channels
    }
}
