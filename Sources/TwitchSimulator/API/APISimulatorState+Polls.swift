import Foundation

extension APISimulatorState {
    /// A native poll (API-P1 … P5).
    struct Poll: Sendable {
        /// One choice and its counts.
        struct Choice: Sendable {
            var id: String
            var title: String
            var votes = 0
            var channelPointsVotes = 0
        }

        var id: String
        var broadcasterID: String
        var title: String
        var choices: [Choice]
        var duration: Int
        var status = "ACTIVE"
        var startedAt: Date
        var endedAt: Date?

        var endsAt: Date { self.startedAt + TimeInterval(self.duration) }
    }

    /// An EventSub WebSocket session.
    struct Session: Sendable {
        var id: String
        /// The user whose token created the first subscription (ES-11), once one exists.
        var userID: String?
        var keepaliveSeconds: Int
        var connectedAt: Date
        /// When the last frame was sent (keepalives fill silences).
        var lastSentAt: Date
    }

    /// An EventSub subscription.
    struct Subscription: Sendable {
        var id: String
        var type: String
        var version: String
        var broadcasterID: String
        var userID: String
        /// `websocket` with a session id, or `webhook` with a callback.
        var sessionID: String?
        var callback: String?
        var status = "enabled"
        var createdAt: Date
    }

    // MARK: Helix polls

    mutating func createPoll(_ request: APIRequest, caller: AccessToken, now: Date) -> APIResponse {
        guard caller.scopes.contains("channel:manage:polls") else { return .error(401, "Missing scope: channel:manage:polls") }
        guard let body = request.jsonObject, let broadcaster = body["broadcaster_id"] as? String else {
            return .error(400, "Missing required parameter \"broadcaster_id\"")
        }
        guard broadcaster == caller.userID else {
            return .error(401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token.")
        }
        guard let user = self.user(id: broadcaster), user.broadcasterType == "affiliate" || user.broadcasterType == "partner" else {
            return .error(400, "The broadcaster must be a partner or affiliate")
        }
        guard let title = body["title"] as? String, !title.isEmpty, title.count <= 60 else {
            return .error(400, "The title may not be empty or longer than 60 characters")
        }
        let choices = (body["choices"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? []
        guard (2...5).contains(choices.count) else {
            return .error(400, "The number of choices in the poll may not be less than 2 or greater that 5")
        }
        guard choices.allSatisfy({ !$0.isEmpty && $0.count <= 25 }) else {
            return .error(400, "A choice's title may not be longer than 25 characters")
        }
        guard let duration = body["duration"] as? Int, (15...1800).contains(duration) else {
            return .error(400, "The value in the duration field is not valid")
        }
        guard !self.polls.values.contains(where: { $0.broadcasterID == broadcaster && $0.status == "ACTIVE" }) else {
            return .error(400, "The broadcaster already has a poll that's running")
        }
        let poll = Poll(
            id: UUID().uuidString.lowercased(),
            broadcasterID: broadcaster,
            title: title,
            choices: choices.map { Poll.Choice(id: UUID().uuidString.lowercased(), title: $0) },
            duration: duration,
            startedAt: now
        )
        self.polls[poll.id] = poll
        self.notify(type: "channel.poll.begin", broadcasterID: broadcaster, event: self.pollEvent(poll, kind: .begin), now: now)
        return .json(200, ["data": [self.pollJSON(poll)]])
    }

    mutating func endPoll(_ request: APIRequest, caller: AccessToken, now: Date) -> APIResponse {
        guard caller.scopes.contains("channel:manage:polls") else { return .error(401, "Missing scope: channel:manage:polls") }
        guard let body = request.jsonObject, let broadcaster = body["broadcaster_id"] as? String, let id = body["id"] as? String,
            let status = body["status"] as? String, ["TERMINATED", "ARCHIVED"].contains(status)
        else { return .error(400, "Missing or invalid broadcaster_id, id or status") }
        guard broadcaster == caller.userID else {
            return .error(401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token.")
        }
        guard var poll = self.polls[id], poll.broadcasterID == broadcaster, poll.status == "ACTIVE" else {
            return .error(400, "The poll must be active to terminate or archive it.")
        }
        poll.status = status
        poll.endedAt = now
        self.polls[id] = poll
        self.notify(type: "channel.poll.end", broadcasterID: broadcaster, event: self.pollEvent(poll, kind: .end), now: now)
        return .json(200, ["data": [self.pollJSON(poll)]])
    }

    func getPolls(_ request: APIRequest, caller: AccessToken) -> APIResponse {
        guard caller.scopes.contains("channel:manage:polls") || caller.scopes.contains("channel:read:polls") else {
            return .error(401, "Missing scope: channel:read:polls")
        }
        guard let broadcaster = request.query("broadcaster_id"), broadcaster == caller.userID else {
            return .error(401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token.")
        }
        let ids = request.queryAll("id")
        let found = self.polls.values.filter { $0.broadcasterID == broadcaster && (ids.isEmpty || ids.contains($0.id)) }
            .sorted { $0.startedAt > $1.startedAt }
        return .json(200, ["data": found.map(self.pollJSON), "pagination": [String: String]()])
    }

    /// Adds native votes to the broadcaster's active poll and sends a progress event; false when none runs.
    mutating func vote(broadcasterID: String, choice: Int, votes: Int, channelPointsVotes: Int, now: Date) -> Bool {
        guard let id = self.polls.values.first(where: { $0.broadcasterID == broadcasterID && $0.status == "ACTIVE" })?.id,
            var poll = self.polls[id], poll.choices.indices.contains(choice)
        else { return false }
        // `votes` counts every vote, channel-points ones included (SUB-4).
        poll.choices[choice].votes += votes + channelPointsVotes
        poll.choices[choice].channelPointsVotes += channelPointsVotes
        self.polls[id] = poll
        self.notify(type: "channel.poll.progress", broadcasterID: broadcasterID, event: self.pollEvent(poll, kind: .progress), now: now)
        return true
    }

    /// Completes active polls whose time is up, sending their end events.
    mutating func completeDuePolls(now: Date) {
        for (id, poll) in self.polls where poll.status == "ACTIVE" && poll.endsAt <= now {
            var ended = poll
            ended.status = "COMPLETED"
            ended.endedAt = poll.endsAt
            self.polls[id] = ended
            self.notify(type: "channel.poll.end", broadcasterID: poll.broadcasterID, event: self.pollEvent(ended, kind: .end), now: now)
        }
    }

    enum PollEventKind { case begin, progress, end }

    /// The `event` object of a `channel.poll.*` notification (SUB-1 … 4).
    func pollEvent(_ poll: Poll, kind: PollEventKind) -> [String: Any] {
        let user = self.user(id: poll.broadcasterID)
        var event: [String: Any] = [
            "id": poll.id, "broadcaster_user_id": poll.broadcasterID, "broadcaster_user_login": user?.login ?? "",
            "broadcaster_user_name": user?.displayName ?? "", "title": poll.title,
            "bits_voting": ["is_enabled": false, "amount_per_vote": 0],
            "channel_points_voting": ["is_enabled": true, "amount_per_vote": 100],
            "started_at": Self.timestamp(poll.startedAt),
        ]
        event["choices"] = poll.choices.map { choice -> [String: Any] in
            kind == .begin
                ? ["id": choice.id, "title": choice.title]
                : [
                    "id": choice.id, "title": choice.title, "votes": choice.votes, "channel_points_votes": choice.channelPointsVotes,
                    "bits_votes": 0,
                ]
        }
        if kind == .end {
            event["status"] = poll.status.lowercased()
            event["ended_at"] = Self.timestamp(poll.endedAt ?? poll.endsAt)
        } else {
            event["ends_at"] = Self.timestamp(poll.endsAt)
        }
        return event
    }

    /// A poll as Helix returns it.
    func pollJSON(_ poll: Poll) -> [String: Any] {
        let user = self.user(id: poll.broadcasterID)
        return [
            "id": poll.id, "broadcaster_id": poll.broadcasterID, "broadcaster_login": user?.login ?? "",
            "broadcaster_name": user?.displayName ?? "", "title": poll.title,
            "choices": poll.choices.map { choice -> [String: Any] in
                ["id": choice.id, "title": choice.title, "votes": choice.votes, "channel_points_votes": choice.channelPointsVotes, "bits_votes": 0]
            },
            "bits_voting_enabled": false, "bits_per_vote": 0, "channel_points_voting_enabled": true, "channel_points_per_vote": 100,
            "status": poll.status, "duration": poll.duration, "started_at": Self.timestamp(poll.startedAt),
            "ended_at": poll.endedAt.map(Self.timestamp) ?? NSNull(),
        ]
    }

    /// RFC 3339 with nanoseconds, as Twitch writes them (ES-14).
    static func timestamp(_ date: Date) -> String {
        let seconds = floor(date.timeIntervalSince1970)
        let nanos = Int((date.timeIntervalSince1970 - seconds) * 1_000_000_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = formatter.string(from: Date(timeIntervalSince1970: seconds))
        return base.dropLast() + "." + String(format: "%09d", nanos) + "Z"
    }
}
