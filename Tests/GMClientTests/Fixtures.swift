import GMClient

/// Canned answers written to the GM API contract, shared by the printer tests and the live-server test.
enum Fixtures {
    static let pollID = "6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b"

    /// An ended poll, 3 to 2, with two channels (one extra field the client must ignore).
    static let endedPollJSON = """
        {"id":"\(pollID)","title":"Which door?","options":["Left","Right"],"durationSeconds":60,"mode":"auto",
         "voteRule":"unique","channels":[{"login":"alpha_gm","mode":"chat","status":"ended"},
         {"login":"beta_gm","mode":"native","status":"ended"}],"status":"ended",
         "startedAt":"2026-11-29T13:05:00.123Z","endsAt":"2026-11-29T13:06:00.123Z","endedAt":"2026-11-29T13:06:02.004Z",
         "createdBy":"someone","tally":{"votes":[3,2],"totalVotes":5,"percentages":[60.0,40.0],"winners":[0],
         "channels":{"alpha_gm":{"votes":[2,1],"totalVotes":3},"beta_gm":{"votes":[1,1],"totalVotes":2}},"version":7}}
        """

    /// A running poll without votes.
    static let runningPollJSON = """
        {"id":"\(pollID)","title":"Quiet?","options":["Yes","No","Maybe"],"durationSeconds":60,"mode":"chat",
         "voteRule":"unique","channels":[{"login":"alpha_gm","mode":"chat","status":"running"}],"status":"running",
         "startedAt":"2026-11-29T13:05:00.123Z","endsAt":"2026-11-29T13:06:00.123Z","endedAt":null,
         "tally":{"votes":[0,0,0],"totalVotes":0,"percentages":[0.0,0.0,0.0],"winners":[],
         "channels":{"alpha_gm":{"votes":[0,0,0],"totalVotes":0}},"version":0}}
        """

    /// A channel as `POST /api/v1/channels` answers it.
    static let channelJSON = """
        {"login":"alpha_gm","displayName":null,"twitchUserId":null,"connected":false,
         "overlayUrl":"http://localhost:3333/overlay/tok1","createdAt":"2026-11-29T13:00:00.000Z"}
        """

    /// The 422 of a poll with a bad title and too few options.
    static let validationErrorJSON = """
        {"error":{"code":"validation_failed","message":"the poll is not valid",
         "fields":{"title":"must be 1 to 60 characters","options":"must have 2 to 5 options"}}}
        """

    /// The 401 of a missing or unknown key.
    static let unauthorizedJSON = #"{"error":{"code":"unauthorized","message":"a valid API key is required"}}"#

    /// A poll with the given votes, for the formatting tests.
    static func poll(votes: [Int], percentages: [Double], winners: [Int], status: String = "ended") -> Poll {
        Poll(
            id: Self.pollID,
            title: "Pick",
            options: votes.indices.map { "Option \($0 + 1)" },
            status: status,
            tally: Tally(votes: votes, totalVotes: votes.reduce(0, +), percentages: percentages, winners: winners)
        )
    }
}
