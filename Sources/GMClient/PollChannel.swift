/// One channel of a poll: `{"login","mode","status"}`.
public struct PollChannel: Decodable, Sendable, Equatable {
    /// The Twitch login.
    public let login: String
    /// How votes are read there: `chat` or `native`.
    public let mode: String
    /// The channel's part of the poll: `running`, `ended` or `cancelled`.
    public let status: String

    /// Creates a poll channel.
    /// - Parameters:
    ///   - login: the Twitch login.
    ///   - mode: `chat` or `native`.
    ///   - status: the channel's status.
    public init(login: String, mode: String, status: String) {
        self.login = login
        self.mode = mode
        self.status = status
    }
}
