/// A rate limit: `count` actions per `period` (IRC-J3, IRC-S3).
public struct ChatRateLimit: Sendable, Hashable {
    /// Actions allowed per period.
    public var count: Int
    /// The window length.
    public var period: Duration

    /// Creates a limit.
    /// - Parameters:
    ///   - count: Actions allowed per period.
    ///   - period: The window length.
    public init(count: Int, period: Duration) {
        self.count = count
        self.period = period
    }

    /// JOINs of an ordinary account: 20 per 10 s on Twitch, kept under it as 20 per 11 s (IRC-J3).
    public static let joins = ChatRateLimit(count: 20, period: .seconds(11))
    /// JOINs of a verified bot: 2,000 per 10 s on Twitch, kept under it as 2,000 per 11 s (IRC-J3).
    public static let verifiedBotJoins = ChatRateLimit(count: 2_000, period: .seconds(11))
    /// Chat messages of an account that is not moderator, VIP or broadcaster: 20 per 30 s (IRC-S3).
    public static let messages = ChatRateLimit(count: 20, period: .seconds(30))
}
