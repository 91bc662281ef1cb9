import Foundation
public import Logging
import NIOCore
public import OverlayFeed
public import Redis
public import ServiceLifecycle

/// Feeds the SSE hub from Redis: every tally change notice (`<pollId>:<version>`), and every poll start and end
/// announced by any daemon sharing the Redis, so a client on this daemon sees votes another one counted.
public struct FeedBridge: Service {
    private let hub: FeedHub
    private let source: PollFeedSource
    private let coordinator: PollCoordinator
    private let redis: RedisClient
    private let noticeChannel: String
    private let lifecycleChannel: String
    private let logger: Logger

    /// Creates the bridge.
    /// - Parameters:
    ///   - hub: The hub to feed.
    ///   - source: Builds the start and end events.
    ///   - coordinator: Told first when another daemon finished a poll, so the end event shows the final result.
    ///   - redis: Where notices arrive (pub/sub).
    ///   - noticeChannel: The tally change channel (`TallyStore.noticeChannel`).
    ///   - lifecycleChannel: The poll start/end channel (`PollCoordinator.lifecycleChannel`).
    ///   - logger: For subscription losses.
    public init(
        hub: FeedHub,
        source: PollFeedSource,
        coordinator: PollCoordinator,
        redis: RedisClient,
        noticeChannel: String,
        lifecycleChannel: String,
        logger: Logger
    ) {
        self.hub = hub
        self.source = source
        self.coordinator = coordinator
        self.redis = redis
        self.noticeChannel = noticeChannel
        self.lifecycleChannel = lifecycleChannel
        self.logger = logger
    }

    /// Subscribes until shutdown, subscribing again after a lost connection.
    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.redis.subscribe(to: [self.noticeChannel, self.lifecycleChannel]) { subscription in
                        // Lifecycle events read PostgreSQL: each in its own child task, so tally notices never wait.
                        try await withThrowingDiscardingTaskGroup { group in
                            for try await message in subscription {
                                let payload = String(buffer: message.payload)
                                if message.channel == self.noticeChannel {
                                    self.notice(payload)
                                } else {
                                    group.addTask { await self.lifecycle(payload) }
                                }
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    self.logger.debug("feed subscription lost; subscribing again", metadata: ["redis.error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func notice(_ payload: String) {
        guard let colon = payload.lastIndex(of: ":"), let version = Int(payload[payload.index(after: colon)...]) else { return }
        self.hub.notice(pollID: String(payload[..<colon]), version: version)
    }

    private func lifecycle(_ payload: String) async {
        if payload.hasPrefix("revoke:") {
            // An overlay token was rotated or revoked on some daemon: its streams end here too.
            self.hub.close(topic: PollFeedSource.topic(channel: String(payload.dropFirst(7))))
            return
        }
        guard let colon = payload.firstIndex(of: ":"), let id = UUID(uuidString: String(payload[payload.index(after: colon)...])) else { return }
        // Another daemon finished it: drop the cached running poll first, so the event carries the final result.
        if payload.hasPrefix("end:") { self.coordinator.noteFinished(id) }
        do {
            // Built from the poll as it is now: a start shows the running poll, an end its final result.
            guard let update = try await self.source.lifecycleUpdate(pollID: id.uuidString.lowercased()) else { return }
            self.hub.publish(update.event, to: update.topics)
        } catch {
            self.logger.warning("cannot build a poll lifecycle event", metadata: ["poll.id": "\(id)", "error": "\(error)"])
        }
    }
}
