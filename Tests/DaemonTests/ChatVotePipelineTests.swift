import ChatBridge
import Core
import Logging
import Redis
import Storage
import Testing

@testable import Daemon

@Suite struct ChatVotePipelineTests {
    let registry = PollRegistry()
    let pipeline: ChatVotePipeline
    let poll = RunningPoll(id: "poll-1", optionCount: 3, channels: ["alpha", "bravo"], rule: .unique, startedAt: 0, endsAt: .max)

    init() {
        // The sink is never flushed here: these tests look at the changes the pipeline derives.
        let redis = RedisClient(configuration: .init(), logger: Logger(label: "test"))
        let sink = VoteSink(store: TallyStore(redis: redis), logger: Logger(label: "test"))
        self.pipeline = ChatVotePipeline(registry: self.registry, sink: sink, logger: Logger(label: "test"))
        self.registry.register(self.poll)
    }

    private func change(_ line: String) throws -> TallyChange? {
        self.pipeline.change(for: try ChatEvent(parsing: line))
    }

    private static func privmsg(
        channel: String,
        room: String,
        user: String = "1001",
        id: String = "m-1",
        text: String,
        extra: String = ""
    ) -> String {
        "@badge-info=;badges=;color=;display-name=Viewer;emotes=;first-msg=0;flags=;id=\(id);mod=0;room-id=\(room);subscriber=0;"
            + "tmi-sent-ts=1700000000123;turbo=0;user-id=\(user);user-type=\(extra) :viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #\(channel) :\(text)"
    }

    @Test("a vote in a poll channel becomes a vote change with the identity tags")
    func vote() throws {
        let change = try self.change(Self.privmsg(channel: "alpha", room: "11", text: "!2"))
        #expect(
            change
                == .vote(Vote(pollID: "poll-1", channel: "alpha", userID: "1001", messageID: "m-1", option: 1, sentAt: 1_700_000_000_123))
        )
    }

    @Test("IRC-G4 /me votes and reply votes count; chat noise and other channels do not")
    func variants() throws {
        #expect(try self.change(Self.privmsg(channel: "alpha", room: "11", text: "\u{01}ACTION !3\u{01}")) != nil)
        let reply = Self.privmsg(
            channel: "alpha",
            room: "11",
            text: "@streamer 1",
            extra:
                ";reply-parent-msg-id=p;reply-parent-user-id=9;reply-parent-user-login=streamer;reply-parent-display-name=Streamer;reply-parent-msg-body=vote!"
        )
        if case .vote(let vote) = try self.change(reply) {
            #expect(vote.option == 0)
        } else {
            Issue.record("a reply vote was not counted")
        }
        #expect(try self.change(Self.privmsg(channel: "alpha", room: "11", text: "hello !2")) == nil)
        #expect(try self.change(Self.privmsg(channel: "alpha", room: "11", text: "!4")) == nil)
        #expect(try self.change(Self.privmsg(channel: "zulu", room: "99", text: "!1")) == nil)
    }

    @Test("IRC-G9 a Shared Chat copy counts for its source channel when that channel is in the poll")
    func sharedChat() throws {
        _ = try self.change("@room-id=11 :tmi.twitch.tv ROOMSTATE #alpha")
        let copy = Self.privmsg(channel: "bravo", room: "22", id: "copy", text: "!1", extra: ";source-id=orig;source-room-id=11")
        guard case .vote(let vote) = try self.change(copy) else {
            Issue.record("the copy was not a vote")
            return
        }
        #expect(vote.channel == "alpha")
        #expect(vote.deduplicationKey == "orig")
        let foreign = Self.privmsg(channel: "bravo", room: "22", id: "copy2", text: "!1", extra: ";source-id=orig2;source-room-id=77")
        guard case .vote(let other) = try self.change(foreign) else {
            Issue.record("a copy from a channel outside the poll was not a vote")
            return
        }
        #expect(other.channel == "bravo")
    }

    @Test("CLEARMSG and CLEARCHAT of a user become removals; a whole-chat clear does not")
    func moderation() throws {
        #expect(
            try self.change("@login=viewer;room-id=11;target-msg-id=m-1;tmi-sent-ts=1 :tmi.twitch.tv CLEARMSG #alpha :!2")
                == .removeMessage(pollID: "poll-1", messageID: "m-1")
        )
        #expect(
            try self.change("@ban-duration=600;room-id=11;target-user-id=1001;tmi-sent-ts=1 :tmi.twitch.tv CLEARCHAT #alpha :viewer")
                == .removeUser(pollID: "poll-1", userID: "1001")
        )
        #expect(try self.change("@room-id=11;tmi-sent-ts=1 :tmi.twitch.tv CLEARCHAT #alpha") == nil)
    }

    @Test("after the poll is unregistered its channels' votes are ignored")
    func unregister() throws {
        self.registry.unregister(pollID: "poll-1")
        #expect(try self.change(Self.privmsg(channel: "alpha", room: "11", text: "!2")) == nil)
    }
}
