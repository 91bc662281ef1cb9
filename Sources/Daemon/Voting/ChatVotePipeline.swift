public import ChatBridge
import Core
public import Logging
import Metrics
public import Storage

/// Turns chat events into tally changes: votes from PRIVMSG, removals from CLEARMSG and CLEARCHAT.
///
/// It knows polls only through the ``PollRegistry``; every change goes through the ``VoteSink`` so votes and
/// their removals keep chat order and survive a Redis outage.
public struct ChatVotePipeline: Sendable {
    private let registry: PollRegistry
    private let sink: VoteSink
    private let moderation: Bool
    private let logger: Logger
    private let messages = Counter(label: "tumulte_chat_messages_total")
    private let notVotes = Counter(label: "tumulte_votes_total", dimensions: [("outcome", "not_a_vote")])

    /// Creates the pipeline.
    /// - Parameters:
    ///   - registry: Running polls by channel.
    ///   - sink: Where changes are queued.
    ///   - moderation: Whether deleted messages and banned users lose their votes (default on).
    ///   - logger: For debug traces of skipped lines.
    public init(registry: PollRegistry, sink: VoteSink, moderation: Bool = true, logger: Logger) {
        self.registry = registry
        self.sink = sink
        self.moderation = moderation
        self.logger = logger
    }

    /// Handles a batch of events (one WebSocket frame's worth), queueing their changes in order.
    public func handle(_ events: some Sequence<ChatEvent>) {
        var changes: [TallyChange] = []
        for event in events {
            if let change = self.change(for: event) { changes.append(change) }
        }
        if !changes.isEmpty { self.sink.submit(changes) }
    }

    /// The tally change an event causes, if any.
    func change(for event: ChatEvent) -> TallyChange? {
        switch event {
        case .privmsg(let message):
            self.messages.increment()
            return self.vote(from: message).map(TallyChange.vote)
        case .roomState(let state):
            self.registry.learnRoom(state.roomID, channel: state.channel)
            return nil
        case .clearMessage(let clear) where self.moderation:
            guard let poll = self.registry.poll(forChannel: clear.channel) else { return nil }
            return .removeMessage(pollID: poll.id, messageID: clear.targetMessageID)
        case .clearChat(let clear) where self.moderation:
            guard let userID = clear.targetUserID, let poll = self.registry.poll(forChannel: clear.channel) else { return nil }
            return .removeUser(pollID: poll.id, userID: userID)
        default:
            return nil
        }
    }

    private func vote(from message: ChatMessage) -> Vote? {
        let channel = message.channel
        // Room ids are learnt from the ROOMSTATE that confirms every JOIN, not per message: one lock less per line.
        guard let poll = self.registry.poll(forChannel: channel) else { return nil }
        guard let option = ChatVoteParser(optionCount: poll.optionCount).option(in: message.text, isReply: message.reply != nil) else {
            self.notVotes.increment()
            return nil
        }
        let userID = message.userID
        let messageID = message.messageID
        guard !userID.isEmpty, !messageID.isEmpty, let sentAt = message.sentAtMilliseconds else {
            self.logger.debug("vote without identity tags skipped", metadata: ["twitch.channel": "\(channel)"])
            return nil
        }
        // Shared Chat: a copy counts once (by source id), for the source channel when it is in the poll.
        var countedChannel = channel
        if let sourceRoom = message.sourceRoomID, sourceRoom != message.roomID, let source = self.registry.channel(forRoom: sourceRoom),
            poll.channels.contains(source)
        {
            countedChannel = source
        }
        return Vote(
            pollID: poll.id,
            channel: countedChannel,
            userID: userID,
            messageID: messageID,
            sourceMessageID: message.sourceMessageID,
            option: option,
            sentAt: sentAt
        )
    }
}
