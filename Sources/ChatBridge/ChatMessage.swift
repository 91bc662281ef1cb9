#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A chat message (`PRIVMSG`) with the fields a vote counter needs (IRC-G4, IRC-G7, IRC-G9).
///
/// Building one costs a single pass over the tags and no string copies: the message keeps the parsed
/// line plus the offsets of every field, and each string property is sliced (and unescaped) when read.
/// Read a property once and keep the value if you need it repeatedly. Because `raw` keeps the line,
/// it also keeps the WebSocket frame the line was sliced from alive while the message is held; store
/// the strings you need, not the message, for long-lived state.
///
/// Tag-derived strings are empty when the tag is absent (a connection without `twitch.tv/tags`).
public struct ChatMessage: Sendable, Hashable {
    /// The parsed line this message came from (any other tag is reachable through `raw.tags`).
    public let raw: IRCMessage
    /// `tmi-sent-ts`: when Twitch received the message, in milliseconds since 1970; nil when absent.
    public let sentAtMilliseconds: Int64?
    /// Whether the message was a `/me` action (`\u{01}ACTION …\u{01}`).
    public let isAction: Bool
    /// `bits` cheered with the message, nil when none.
    public let bits: Int?
    /// `mod=1`.
    public let isModerator: Bool
    /// `subscriber=1`.
    public let isSubscriber: Bool
    /// Whether the `vip` tag is present (Twitch only sends it for VIPs).
    public let isVIP: Bool
    /// `first-msg=1`: the sender's first message in this channel.
    public let isFirstMessage: Bool
    /// Where each string field is in the line.
    let spans: Spans

    /// Byte offsets of the string fields, filled by the tag pass.
    struct Spans: Sendable, Hashable {
        /// The channel parameter without `#`.
        var channel = ByteSpan.absent
        /// The prefix nick.
        var login = ByteSpan.absent
        /// The text without an ACTION wrapper.
        var text = ByteSpan.absent
        /// `id`.
        var id = ByteSpan.absent
        /// `room-id`.
        var roomID = ByteSpan.absent
        /// `user-id`.
        var userID = ByteSpan.absent
        /// `display-name`.
        var displayName = ByteSpan.absent
        /// `badges`.
        var badges = ByteSpan.absent
        /// `emotes`.
        var emotes = ByteSpan.absent
        /// `custom-reward-id`.
        var customReward = ByteSpan.absent
        /// `source-id`.
        var sourceID = ByteSpan.absent
        /// `source-room-id`.
        var sourceRoomID = ByteSpan.absent
        /// `reply-parent-msg-id`.
        var parentID = ByteSpan.absent
        /// `reply-parent-user-id`.
        var parentUserID = ByteSpan.absent
        /// `reply-parent-user-login`.
        var parentLogin = ByteSpan.absent
        /// `reply-parent-display-name`.
        var parentDisplayName = ByteSpan.absent
        /// `reply-parent-msg-body`.
        var parentBody = ByteSpan.absent
        /// `reply-thread-parent-msg-id`.
        var threadID = ByteSpan.absent
    }

    /// Channel login, without `#`.
    public var channel: String { plain(spans.channel) }
    /// `room-id`: id of the channel the message was received in.
    public var roomID: String { string(spans.roomID) }
    /// `user-id`: the sender's stable id (key votes by this, not by login).
    public var userID: String { string(spans.userID) }
    /// The sender's login, from the prefix nick.
    public var login: String { plain(spans.login) }
    /// `display-name`, unescaped; may be empty and may differ from the login.
    public var displayName: String { string(spans.displayName) }
    /// `id`: the message id (de-duplication key, IRC-T5).
    public var messageID: String { string(spans.id) }
    /// The text, with a `/me` wrapper removed.
    public var text: String { plain(spans.text) }
    /// `source-id`: the id of the original message in a Shared Chat session, nil outside one.
    public var sourceMessageID: String? { optionalString(spans.sourceID) }
    /// `source-room-id`: the room the message was originally sent in (Shared Chat), nil outside one.
    public var sourceRoomID: String? { optionalString(spans.sourceRoomID) }
    /// `custom-reward-id` of a channel-points redemption, nil when none.
    public var customRewardID: String? { optionalString(spans.customReward) }
    /// The `badges` tag as sent.
    public var rawBadges: String { string(spans.badges) }
    /// The `emotes` tag as sent.
    public var rawEmotes: String { string(spans.emotes) }

    /// The message this one replies to, nil when it is not a reply.
    public var reply: ChatReplyParent? {
        guard let parentID = optionalString(spans.parentID) else { return nil }
        return ChatReplyParent(
            messageID: parentID,
            userID: string(spans.parentUserID),
            login: string(spans.parentLogin),
            displayName: string(spans.parentDisplayName),
            body: string(spans.parentBody),
            threadMessageID: optionalString(spans.threadID)
        )
    }

    /// `tmi-sent-ts` as a date, nil when absent.
    public var sentAt: Date? {
        sentAtMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// The sender's badges, parsed on access.
    public var badges: [ChatBadge] { ChatBadge.parseList(rawBadges) }

    /// Whether the sender has the `broadcaster` badge.
    public var isBroadcaster: Bool { badges.contains { $0.set == "broadcaster" } }

    /// Emote occurrences in `text`, parsed and clamped on access.
    public var emotes: [ChatEmote] { ChatEmote.parseList(rawEmotes, in: text) }

    /// Whether this is a Shared Chat copy received outside the room it was sent in (IRC-G9).
    public var isSharedChatCopy: Bool {
        guard spans.sourceRoomID.isNonEmpty else { return false }
        return raw.withBytes { bytes in
            let source = spans.sourceRoomID
            let room = spans.roomID
            guard room.isPresent, source.end - source.start == room.end - room.start else { return true }
            return !bytes[Int(source.start)..<Int(source.end)].elementsEqual(bytes[Int(room.start)..<Int(room.end)])
        }
    }

    /// Builds a chat message from a parsed `PRIVMSG` line; nil when the line has no channel parameter.
    /// - Parameter message: A parsed line whose command is `PRIVMSG`.
    public init?(_ message: IRCMessage) {
        guard let parsed = message.withBytes({ ChatMessage(RawLine(bytes: $0, layout: message.layout), raw: message) })
        else { return nil }
        self = parsed
    }

    /// The single pass over the tags that locates every field.
    init?(_ line: RawLine, raw: IRCMessage) {
        guard line.layout.firstParamStart >= 0 else { return nil }
        var spans = Spans()
        var sentAt: Range<Int>?
        var bits: Range<Int>?
        var mod: Range<Int>?
        var vip: Range<Int>?
        var subscriber: Range<Int>?
        var firstMessage: Range<Int>?
        line.forEachTag { key, value in
            switch key.count {
            case 2: if line.key(key, is: "id") { spans.id = ByteSpan(value) }
            case 3:
                if line.key(key, is: "mod") {
                    mod = value
                } else if line.key(key, is: "vip") {
                    vip = value
                }
            case 4: if line.key(key, is: "bits") { bits = value }
            case 6:
                if line.key(key, is: "badges") {
                    spans.badges = ByteSpan(value)
                } else if line.key(key, is: "emotes") {
                    spans.emotes = ByteSpan(value)
                }
            case 7:
                if line.key(key, is: "room-id") {
                    spans.roomID = ByteSpan(value)
                } else if line.key(key, is: "user-id") {
                    spans.userID = ByteSpan(value)
                }
            case 9:
                if line.key(key, is: "source-id") {
                    spans.sourceID = ByteSpan(value)
                } else if line.key(key, is: "first-msg") {
                    firstMessage = value
                }
            case 10: if line.key(key, is: "subscriber") { subscriber = value }
            case 11: if line.key(key, is: "tmi-sent-ts") { sentAt = value }
            case 12: if line.key(key, is: "display-name") { spans.displayName = ByteSpan(value) }
            case 14: if line.key(key, is: "source-room-id") { spans.sourceRoomID = ByteSpan(value) }
            case 16: if line.key(key, is: "custom-reward-id") { spans.customReward = ByteSpan(value) }
            case 19: if line.key(key, is: "reply-parent-msg-id") { spans.parentID = ByteSpan(value) }
            case 20: if line.key(key, is: "reply-parent-user-id") { spans.parentUserID = ByteSpan(value) }
            case 21: if line.key(key, is: "reply-parent-msg-body") { spans.parentBody = ByteSpan(value) }
            case 23: if line.key(key, is: "reply-parent-user-login") { spans.parentLogin = ByteSpan(value) }
            case 25: if line.key(key, is: "reply-parent-display-name") { spans.parentDisplayName = ByteSpan(value) }
            case 26: if line.key(key, is: "reply-thread-parent-msg-id") { spans.threadID = ByteSpan(value) }
            default: break
            }
        }
        spans.channel = ByteSpan(line.channelRange())
        spans.login = ByteSpan(line.prefixNickRange())
        let (text, isAction) = ChatMessage.unwrapAction(line)
        spans.text = ByteSpan(text)
        self.raw = raw
        self.spans = spans
        self.isAction = isAction
        self.sentAtMilliseconds = line.integer(sentAt)
        self.bits = line.integer(bits).flatMap { Int(exactly: $0) }
        self.isModerator = line.flag(mod)
        self.isSubscriber = line.flag(subscriber)
        self.isVIP = vip != nil
        self.isFirstMessage = line.flag(firstMessage)
    }

    /// The unescaped string at `span`, `""` when absent.
    private func string(_ span: ByteSpan) -> String {
        guard span.isNonEmpty else { return "" }
        return raw.withBytes { IRCTags.unescape($0, from: Int(span.start), to: Int(span.end)) }
    }

    /// The bytes at `span` as a string, without tag unescaping (parameters are not escaped).
    private func plain(_ span: ByteSpan) -> String {
        guard span.isNonEmpty else { return "" }
        return raw.withBytes { $0.string(from: Int(span.start), to: Int(span.end)) }
    }

    /// The unescaped string at `span`, nil when absent or empty (also when it unescapes to nothing).
    private func optionalString(_ span: ByteSpan) -> String? {
        guard span.isNonEmpty else { return nil }
        let value = raw.withBytes { IRCTags.unescape($0, from: Int(span.start), to: Int(span.end)) }
        return value.isEmpty ? nil : value
    }

    /// Where the message text is once a CTCP `ACTION` wrapper is removed, and whether there was one (IRC-G4).
    ///
    /// Accepts `\u{01}ACTION text\u{01}`, `\u{01}ACTION\u{01}` and a missing closing `\u{01}`.
    static func unwrapAction(_ line: RawLine) -> (text: Range<Int>, isAction: Bool) {
        guard line.layout.paramCount >= 2 else { return (0..<0, false) }
        let start = line.layout.lastParamStart
        let end = line.layout.lastParamEnd
        let bytes = line.bytes
        guard bytes.hasPrefix("\u{01}ACTION", from: start, to: end) else { return (start..<end, false) }
        let afterVerb = start + 7
        if afterVerb == end || bytes[afterVerb] == ASCII.ctcp { return (afterVerb..<afterVerb, true) }
        guard bytes[afterVerb] == ASCII.space else { return (start..<end, false) }
        var textEnd = end
        if textEnd > afterVerb + 1 && bytes[textEnd - 1] == ASCII.ctcp { textEnd -= 1 }
        return ((afterVerb + 1)..<textEnd, true)
    }
}
