import Foundation

extension APISimulatorState {
    /// A frame for a session, or a close, produced while handling a request or a scripted action.
    enum Delivery: Sendable {
        /// A text frame.
        case frame(sessionID: String, text: String)
        /// Close the session's socket with this code (ES-9), or without a close frame when nil.
        case close(sessionID: String, code: UInt16?)
    }

    // MARK: Sessions

    /// Opens a session for a new socket and returns its welcome (ES-1, ES-2).
    mutating func openSession(keepaliveSeconds: Int?, now: Date) -> (id: String, welcome: String) {
        let keepalive = min(600, max(10, keepaliveSeconds ?? 10))
        let id = "sim_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        self.sessions[id] = Session(id: id, userID: nil, keepaliveSeconds: keepalive, connectedAt: now, lastSentAt: now)
        return (id, self.welcome(id, now: now))
    }

    /// The welcome for a session (also sent again on the socket that took over after a `session_reconnect`).
    func welcome(_ id: String, now: Date) -> String {
        guard let session = self.sessions[id] else { return "{}" }
        return Self.frame(
            type: "session_welcome",
            payload: [
                "session": [
                    "id": id, "status": "connected", "connected_at": Self.timestamp(session.connectedAt),
                    "keepalive_timeout_seconds": session.keepaliveSeconds, "reconnect_url": NSNull(),
                ] as [String: Any]
            ],
            now: now
        )
    }

    /// The `session_reconnect` frame for a session, pointing at `url` (ES-6).
    func reconnectFrame(_ id: String, url: String, now: Date) -> String {
        Self.frame(
            type: "session_reconnect",
            payload: [
                "session": [
                    "id": id, "status": "reconnecting", "connected_at": Self.timestamp(self.sessions[id]?.connectedAt ?? now),
                    "keepalive_timeout_seconds": NSNull(), "reconnect_url": url,
                ] as [String: Any]
            ],
            now: now
        )
    }

    /// A session's socket went away without a `session_reconnect`: its subscriptions are disabled (ES-7).
    mutating func sessionLost(_ id: String) {
        self.sessions[id] = nil
        for (key, subscription) in self.subscriptions where subscription.sessionID == id {
            self.subscriptions[key]?.status = "websocket_disconnected"
        }
    }

    /// Keepalives for sessions silent for their timeout, and 4003 for sessions still unused after it (ES-3, ES-5).
    mutating func sessionTicks(now: Date) {
        for (id, session) in self.sessions {
            let silent = now.timeIntervalSince(session.lastSentAt)
            if session.userID == nil, now.timeIntervalSince(session.connectedAt) >= TimeInterval(session.keepaliveSeconds) {
                self.outbox.append(.close(sessionID: id, code: 4003))
                self.sessionLost(id)
            } else if silent >= TimeInterval(session.keepaliveSeconds) {
                self.send(id, Self.frame(type: "session_keepalive", payload: [:], now: now), now: now)
            }
        }
    }

    /// Queues a frame for a session and notes the time.
    mutating func send(_ sessionID: String, _ text: String, now: Date) {
        self.sessions[sessionID]?.lastSentAt = now
        self.outbox.append(.frame(sessionID: sessionID, text: text))
    }

    /// Sends `event` to every enabled WebSocket subscription of `type` for the broadcaster (twice when
    /// `duplicateNotifications` is set, as at-least-once delivery may, ES-13).
    mutating func notify(type: String, broadcasterID: String, event: [String: Any], now: Date) {
        for subscription in self.subscriptions.values
        where subscription.type == type && subscription.broadcasterID == broadcasterID && subscription.status == "enabled" {
            guard let sessionID = subscription.sessionID, self.sessions[sessionID] != nil else { continue }
            let text = Self.frame(
                type: "notification",
                payload: ["subscription": self.subscriptionJSON(subscription), "event": event],
                now: now,
                subscription: subscription
            )
            self.send(sessionID, text, now: now)
            if self.duplicateNotifications { self.send(sessionID, text, now: now) }
        }
    }

    /// Revokes every subscription of the broadcaster with `status` (ES-8).
    mutating func revoke(broadcasterID: String, status: String, now: Date) {
        for (key, subscription) in self.subscriptions where subscription.broadcasterID == broadcasterID && subscription.status == "enabled" {
            self.subscriptions[key]?.status = status
            guard let sessionID = subscription.sessionID, self.sessions[sessionID] != nil else { continue }
            var revoked = subscription
            revoked.status = status
            self.send(
                sessionID,
                Self.frame(type: "revocation", payload: ["subscription": self.subscriptionJSON(revoked)], now: now, subscription: revoked),
                now: now
            )
        }
    }

    // MARK: Helix subscriptions

    mutating func createSubscription(_ request: APIRequest, caller: AccessToken, now: Date) -> APIResponse {
        guard let body = request.jsonObject, let type = body["type"] as? String, let version = body["version"] as? String,
            let condition = body["condition"] as? [String: String], let broadcaster = condition["broadcaster_user_id"],
            let transport = body["transport"] as? [String: String], let method = transport["method"]
        else { return .error(400, "Missing or invalid type, version, condition or transport") }
        guard type.hasPrefix("channel.poll."), version == "1" else {
            return .error(400, "The combination of values in the type and version fields is not valid")
        }
        let isAppToken = caller.userID.isEmpty
        // A user token may subscribe to its own channel; an app token to a channel whose broadcaster granted the
        // scopes to this application.
        let authorized =
            isAppToken
            ? self.refreshTokens.values.contains { $0.userID == broadcaster && $0.scopes.contains { $0.hasSuffix(":polls") } }
            : (caller.scopes.contains("channel:read:polls") || caller.scopes.contains("channel:manage:polls")) && broadcaster == caller.userID
        guard authorized else { return .error(403, "subscription missing proper authorization") }
        guard (method == "webhook") == isAppToken else {
            return .error(400, isAppToken ? "websocket transports need a user access token" : "webhook transports need an app access token")
        }
        var subscription = Subscription(
            id: UUID().uuidString.lowercased(),
            type: type,
            version: version,
            broadcasterID: broadcaster,
            userID: caller.userID,
            createdAt: now
        )
        switch method {
        case "websocket":
            guard let sessionID = transport["session_id"], let session = self.sessions[sessionID] else {
                return .error(400, "websocket transport session does not exist or has already disconnected")
            }
            if let owner = session.userID, owner != caller.userID {
                return .error(400, "websocket transport cannot have subscriptions created by different users")
            }
            // ES-10: at most 3 WebSocket connections with enabled subscriptions per user token.
            let busy = Set(
                self.subscriptions.values.filter { $0.userID == caller.userID && $0.status == "enabled" && $0.sessionID != nil }
                    .compactMap(\.sessionID)
            )
            if !busy.contains(sessionID), busy.count >= 3 {
                return .error(429, "number of websocket transports limit exceeded")
            }
            self.sessions[sessionID]?.userID = caller.userID
            subscription.sessionID = sessionID
        case "webhook":
            guard let callback = transport["callback"], let secret = transport["secret"], (10...100).contains(secret.count) else {
                return .error(400, "webhook transport needs a callback and a secret of 10 to 100 characters")
            }
            subscription.callback = callback
        default:
            return .error(400, "unknown transport method")
        }
        let duplicate = self.subscriptions.values.contains { existing in
            existing.status == "enabled" && existing.type == type && existing.broadcasterID == broadcaster
                && existing.sessionID == subscription.sessionID && existing.callback == subscription.callback
        }
        guard !duplicate else { return .error(409, "subscription already exists") }
        self.subscriptions[subscription.id] = subscription
        let total = self.subscriptions.values.filter { $0.userID == caller.userID }.count
        return .json(
            202,
            ["data": [self.subscriptionJSON(subscription)], "total": total, "total_cost": 0, "max_total_cost": 10]
        )
    }

    func listSubscriptions(caller: AccessToken) -> APIResponse {
        let mine = self.subscriptions.values.filter { $0.userID == caller.userID }.sorted { $0.createdAt < $1.createdAt }
        return .json(
            200,
            ["data": mine.map(self.subscriptionJSON), "total": mine.count, "total_cost": 0, "max_total_cost": 10, "pagination": [String: String]()]
        )
    }

    mutating func deleteSubscription(_ request: APIRequest, caller: AccessToken) -> APIResponse {
        guard let id = request.query("id"), let subscription = self.subscriptions[id], subscription.userID == caller.userID else {
            return .error(404, "subscription not found")
        }
        _ = subscription
        self.subscriptions[id] = nil
        return APIResponse(status: 204)
    }

    /// A subscription as EventSub and Helix describe it.
    func subscriptionJSON(_ subscription: Subscription) -> [String: Any] {
        var transport: [String: Any] = ["method": subscription.sessionID != nil ? "websocket" : "webhook"]
        if let sessionID = subscription.sessionID {
            transport["session_id"] = sessionID
            transport["connected_at"] = Self.timestamp(self.sessions[sessionID]?.connectedAt ?? subscription.createdAt)
        }
        if let callback = subscription.callback { transport["callback"] = callback }
        return [
            "id": subscription.id, "status": subscription.status, "type": subscription.type, "version": subscription.version,
            "cost": 0, "condition": ["broadcaster_user_id": subscription.broadcasterID], "transport": transport,
            "created_at": Self.timestamp(subscription.createdAt),
        ]
    }

    /// An EventSub frame (ES-15).
    static func frame(type: String, payload: [String: Any], now: Date, subscription: Subscription? = nil) -> String {
        var metadata: [String: Any] = [
            "message_id": UUID().uuidString.lowercased(), "message_type": type, "message_timestamp": Self.timestamp(now),
        ]
        if let subscription {
            metadata["subscription_type"] = subscription.type
            metadata["subscription_version"] = subscription.version
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["metadata": metadata, "payload": payload], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
