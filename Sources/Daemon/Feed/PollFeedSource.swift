import Core
import Foundation
public import OverlayFeed
import Storage

/// The live feed's view of polls: tally updates and snapshots built from the coordinator's live or final polls.
///
/// Topics are `poll:<id>` (the GM's stream of one poll) and `channel:<login>` (a channel's overlay; never the token,
/// which must not reach logs).
public struct PollFeedSource: FeedSource {
    private let coordinator: PollCoordinator

    /// Creates the source.
    public init(coordinator: PollCoordinator) {
        self.coordinator = coordinator
    }

    /// The topic of one poll's GM stream.
    public static func topic(poll id: String) -> String { "poll:\(id)" }

    /// The topic of a channel's overlay.
    public static func topic(channel login: String) -> String { "channel:\(login)" }

    /// A `poll.tally` at the poll's newest version (or `poll.end` once it is final), for the poll's and its channels' topics.
    public func update(pollID: String) async throws -> FeedUpdate? {
        guard let id = UUID(uuidString: pollID), let poll = try await self.coordinator.poll(id) else { return nil }
        let event = poll.status.isFinal ? try Self.endEvent(poll) : try Self.tallyEvent(poll)
        return FeedUpdate(event: event, topics: Self.topics(of: poll))
    }

    /// The current state of the topic's poll: `poll.start` with the whole poll while it runs, `poll.end` after.
    public func snapshot(topic: String) async throws -> FeedEvent? {
        if topic.hasPrefix("channel:") {
            // An overlay shows the poll running in its channel, or nothing between polls.
            guard let poll = try await self.coordinator.currentPoll(channel: String(topic.dropFirst(8))) else { return nil }
            return try Self.startEvent(poll)
        }
        guard topic.hasPrefix("poll:"), let id = UUID(uuidString: String(topic.dropFirst(5))),
            let poll = try await self.coordinator.poll(id)
        else { return nil }
        return poll.status.isFinal ? try Self.endEvent(poll) : try Self.startEvent(poll)
    }

    /// The poll's lifecycle event as it stands: `poll.start` while it runs, `poll.end` once final, with its topics.
    public func lifecycleUpdate(pollID: String) async throws -> FeedUpdate? {
        guard let id = UUID(uuidString: pollID), let poll = try await self.coordinator.poll(id) else { return nil }
        let event = poll.status.isFinal ? try Self.endEvent(poll) : try Self.startEvent(poll)
        return FeedUpdate(event: event, topics: Self.topics(of: poll))
    }

    /// Every topic that shows the poll.
    static func topics(of poll: PollView) -> [String] {
        [Self.topic(poll: poll.id)] + poll.record.channels.map { Self.topic(channel: $0.login.value) }
    }

    /// `poll.start` with `{"poll":poll,"serverTime"}` (the overlay counts down against the server's clock).
    static func startEvent(_ poll: PollView) throws -> FeedEvent {
        struct Payload: Encodable {
            let poll: PollJSON
            let serverTime: String
        }
        let payload = Payload(poll: PollJSON(poll), serverTime: JSONCoding.timestamp(Date()))
        return FeedEvent(kind: .start, pollID: poll.id, version: poll.version, data: try Self.json(payload))
    }

    /// `poll.tally` with `{"pollId","serverTime",…tally}`.
    static func tallyEvent(_ poll: PollView) throws -> FeedEvent {
        struct Payload: Encodable {
            let pollId: String
            let serverTime: String
            let tally: TallyJSON
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(self.pollId, forKey: .pollId)
                try container.encode(self.serverTime, forKey: .serverTime)
                try self.tally.encode(to: encoder)
            }
            enum CodingKeys: String, CodingKey { case pollId, serverTime }
        }
        let payload = Payload(pollId: poll.id, serverTime: JSONCoding.timestamp(Date()), tally: TallyJSON(poll))
        return FeedEvent(kind: .tally, pollID: poll.id, version: poll.version, data: try Self.json(payload))
    }

    /// `poll.end` with `{"pollId","status","tally"}`.
    static func endEvent(_ poll: PollView) throws -> FeedEvent {
        struct Payload: Encodable {
            let pollId: String
            let status: String
            let tally: TallyJSON
        }
        let payload = Payload(pollId: poll.id, status: poll.status.rawValue, tally: TallyJSON(poll))
        return FeedEvent(kind: .end, pollID: poll.id, version: poll.version, data: try Self.json(payload))
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
