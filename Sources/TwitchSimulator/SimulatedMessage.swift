#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A chat message the simulator delivers as a Twitch `PRIVMSG` (IRC-G1, IRC-G7).
///
/// Only `userID`, `login` and `text` are needed; everything else has Twitch's defaults for an
/// ordinary viewer. The id defaults to a fresh lower-case UUID and `sentAtMilliseconds` to now.
public struct SimulatedMessage: Sendable, Hashable {
    /// The message this one replies to (`reply-parent-*` and `reply-thread-parent-*` tags, IRC-G8).
    public struct Reply: Sendable, Hashable {
        /// `reply-parent-msg-id`.
        public var messageID: String
        /// `reply-parent-user-id`.
        public var userID: String
        /// `reply-parent-user-login`.
        public var login: String
        /// `reply-parent-display-name` (escaped on the wire, IRC-G3).
        public var displayName: String
        /// `reply-parent-msg-body` (escaped on the wire, IRC-G3).
        public var body: String
        /// `reply-thread-parent-msg-id`; nil means the parent starts the thread.
        public var threadMessageID: String?
        /// `reply-thread-parent-user-login`; nil means the parent's login.
        public var threadLogin: String?
        /// Whether the text gets the `@<parent> ` mention Twitch prepends to replies (IRC-G8).
        public var prependsMention: Bool

        /// Creates a reply parent.
        /// - Parameters:
        ///   - messageID: Parent message id.
        ///   - userID: Parent author's user id.
        ///   - login: Parent author's login.
        ///   - displayName: Parent author's display name; empty means the login.
        ///   - body: Parent text.
        ///   - threadMessageID: Thread root id, nil when the parent is the root.
        ///   - threadLogin: Thread root author's login, nil when the parent is the root.
        ///   - prependsMention: Prefix the text with `@<parent> ` as Twitch does.
        public init(
            messageID: String,
            userID: String,
            login: String,
            displayName: String = "",
            body: String,
            threadMessageID: String? = nil,
            threadLogin: String? = nil,
            prependsMention: Bool = true
        ) {
            self.messageID = messageID
            self.userID = userID
            self.login = login
            self.displayName = displayName.isEmpty ? login : displayName
            self.body = body
            self.threadMessageID = threadMessageID
            self.threadLogin = threadLogin
            self.prependsMention = prependsMention
        }

        /// The name Twitch puts after `@`: the display name when it is only a re-cased login, else the login.
        var mentionName: String {
            displayName.lowercased() == login.lowercased() ? displayName : login
        }
    }

    /// The origin of a Shared Chat copy (`source-id`, `source-room-id`, IRC-G9).
    public struct SharedChatSource: Sendable, Hashable {
        /// `source-id`: the id of the original message.
        public var messageID: String
        /// `source-room-id`: the room it was sent in.
        public var roomID: String
        /// `source-badges`; nil copies the sender's badges.
        public var badges: [String]?
        /// `source-badge-info`; nil copies the sender's badge info.
        public var badgeInfo: String?

        /// Creates a Shared Chat origin.
        /// - Parameters:
        ///   - messageID: Original message id.
        ///   - roomID: Original room id.
        ///   - badges: Badges in the source room, nil to copy the sender's.
        ///   - badgeInfo: Badge info in the source room, nil to copy the sender's.
        public init(messageID: String, roomID: String, badges: [String]? = nil, badgeInfo: String? = nil) {
            self.messageID = messageID
            self.roomID = roomID
            self.badges = badges
            self.badgeInfo = badgeInfo
        }
    }

    /// `user-id`: the sender's stable id.
    public var userID: String
    /// The sender's login (the prefix nick).
    public var login: String
    /// `display-name`; may contain spaces or non-ASCII (escaped on the wire, IRC-G3).
    public var displayName: String
    /// The text as typed, without any `/me` wrapper or reply mention.
    public var text: String
    /// Whether it is a `/me` message (`\u{01}ACTION …\u{01}`, IRC-G4).
    public var isAction: Bool
    /// `id`: the message id (the de-duplication key, IRC-T5).
    public var id: String
    /// `tmi-sent-ts` in milliseconds since 1970.
    public var sentAtMilliseconds: Int64
    /// The replied-to message, if any.
    public var reply: Reply?
    /// The Shared Chat origin, if the message is a Shared Chat copy.
    public var sharedChat: SharedChatSource?
    /// `badges` as `set/version` items (IRC-G6).
    public var badges: [String]
    /// `badge-info`, e.g. `subscriber/14`.
    public var badgeInfo: String
    /// `color`, e.g. `#1E90FF`; empty when unset.
    public var color: String
    /// `emotes` as sent by Twitch (IRC-G5).
    public var emotes: String
    /// `mod=1`; also sets `user-type=mod`.
    public var isModerator: Bool
    /// `subscriber=1`.
    public var isSubscriber: Bool
    /// Adds the `vip` tag (present only for VIPs, IRC-G7).
    public var isVIP: Bool
    /// `first-msg=1`.
    public var isFirstMessage: Bool
    /// `returning-chatter=1`.
    public var isReturningChatter: Bool
    /// `bits`, when the message is a cheer.
    public var bits: Int?
    /// `custom-reward-id`, when the message redeems channel points.
    public var customRewardID: String?
    /// `client-nonce`; nil omits the tag.
    public var clientNonce: String?

    /// Creates a message.
    /// - Parameters:
    ///   - userID: Sender's user id.
    ///   - login: Sender's login.
    ///   - displayName: Sender's display name; empty means the login.
    ///   - text: The text.
    ///   - isAction: Send as `/me`.
    ///   - id: Message id; a fresh UUID by default.
    ///   - sentAtMilliseconds: `tmi-sent-ts`; now by default.
    ///   - reply: Replied-to message.
    ///   - sharedChat: Shared Chat origin.
    ///   - badges: Badges, `set/version`.
    ///   - badgeInfo: Badge info.
    ///   - color: Name color.
    ///   - emotes: Raw `emotes` tag.
    ///   - isModerator: Moderator flag.
    ///   - isSubscriber: Subscriber flag.
    ///   - isVIP: VIP flag.
    ///   - isFirstMessage: First message in the channel.
    ///   - isReturningChatter: Returning chatter flag.
    ///   - bits: Bits cheered.
    ///   - customRewardID: Channel-points reward id.
    ///   - clientNonce: Client nonce; by default derived from the id.
    public init(
        userID: String,
        login: String,
        displayName: String = "",
        text: String,
        isAction: Bool = false,
        id: String = SimulatedMessage.newID(),
        sentAtMilliseconds: Int64 = SimulatedMessage.nowMilliseconds(),
        reply: Reply? = nil,
        sharedChat: SharedChatSource? = nil,
        badges: [String] = [],
        badgeInfo: String = "",
        color: String = "",
        emotes: String = "",
        isModerator: Bool = false,
        isSubscriber: Bool = false,
        isVIP: Bool = false,
        isFirstMessage: Bool = false,
        isReturningChatter: Bool = false,
        bits: Int? = nil,
        customRewardID: String? = nil,
        clientNonce: String? = nil
    ) {
        self.userID = userID
        self.login = login
        self.displayName = displayName.isEmpty ? login : displayName
        self.text = text
        self.isAction = isAction
        self.id = id
        self.sentAtMilliseconds = sentAtMilliseconds
        self.reply = reply
        self.sharedChat = sharedChat
        self.badges = badges
        self.badgeInfo = badgeInfo
        self.color = color
        self.emotes = emotes
        self.isModerator = isModerator
        self.isSubscriber = isSubscriber
        self.isVIP = isVIP
        self.isFirstMessage = isFirstMessage
        self.isReturningChatter = isReturningChatter
        self.bits = bits
        self.customRewardID = customRewardID
        self.clientNonce = clientNonce ?? String(decoding: id.utf8.filter { $0 != UInt8(ascii: "-") }, as: UTF8.self)
    }

    /// A fresh message id: a lower-case UUID, like Twitch's (the default `id`).
    public static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    /// The current wall-clock time in milliseconds since 1970 (the default `tmi-sent-ts`).
    public static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// The trailing text as Twitch sends it: reply mention prepended, then the `/me` wrapper (IRC-G4, IRC-G8).
    public var wireText: String {
        var body = text
        if let reply, reply.prependsMention {
            body = "@\(reply.mentionName) " + body
        }
        return isAction ? "\u{01}ACTION \(body)\u{01}" : body
    }

    /// The whole `PRIVMSG` line for delivery in `channel`: tags in Twitch's order, every value escaped
    /// (IRC-G3, IRC-G7), then `:login!login@login.tmi.twitch.tv PRIVMSG #channel :text`.
    /// - Parameters:
    ///   - channel: Normalised channel login.
    ///   - roomID: `room-id` of that channel.
    func line(channel: String, roomID: String) -> OutgoingLine {
        var line = LineBuilder(capacity: 384 + text.utf8.count + (reply?.body.utf8.count ?? 0))
        line.append("@badge-info=")
        line.append(escaped: badgeInfo)
        line.append(";badges=")
        line.append(escaped: badges.joined(separator: ","))
        if let bits {
            line.append(";bits=")
            line.append(number: Int64(bits))
        }
        if let clientNonce {
            line.append(";client-nonce=")
            line.append(escaped: clientNonce)
        }
        line.append(";color=")
        line.append(escaped: color)
        if let customRewardID {
            line.append(";custom-reward-id=")
            line.append(escaped: customRewardID)
        }
        line.append(";display-name=")
        line.append(escaped: displayName)
        line.append(";emotes=")
        line.append(escaped: emotes)
        line.append(";first-msg=")
        line.append(flag: isFirstMessage)
        line.append(";flags=;id=")
        line.append(escaped: id)
        line.append(";mod=")
        line.append(flag: isModerator)
        if let reply {
            line.append(";reply-parent-display-name=")
            line.append(escaped: reply.displayName)
            line.append(";reply-parent-msg-body=")
            line.append(escaped: reply.body)
            line.append(";reply-parent-msg-id=")
            line.append(escaped: reply.messageID)
            line.append(";reply-parent-user-id=")
            line.append(escaped: reply.userID)
            line.append(";reply-parent-user-login=")
            line.append(escaped: reply.login)
            line.append(";reply-thread-parent-msg-id=")
            line.append(escaped: reply.threadMessageID ?? reply.messageID)
            line.append(";reply-thread-parent-user-login=")
            line.append(escaped: reply.threadLogin ?? reply.login)
        }
        line.append(";returning-chatter=")
        line.append(flag: isReturningChatter)
        line.append(";room-id=")
        line.append(escaped: roomID)
        if let sharedChat {
            line.append(";source-badge-info=")
            line.append(escaped: sharedChat.badgeInfo ?? badgeInfo)
            line.append(";source-badges=")
            line.append(escaped: (sharedChat.badges ?? badges).joined(separator: ","))
            line.append(";source-id=")
            line.append(escaped: sharedChat.messageID)
            line.append(";source-room-id=")
            line.append(escaped: sharedChat.roomID)
        }
        line.append(";subscriber=")
        line.append(flag: isSubscriber)
        line.append(";tmi-sent-ts=")
        line.append(number: sentAtMilliseconds)
        line.append(";turbo=0;user-id=")
        line.append(escaped: userID)
        line.append(isModerator ? ";user-type=mod" : ";user-type=")
        if isVIP { line.append(";vip=1") }
        line.beginBody()
        line.append(":")
        line.append(name: login)
        line.append("!")
        line.append(name: login)
        line.append("@")
        line.append(name: login)
        line.append(".tmi.twitch.tv PRIVMSG #")
        line.append(name: channel)
        line.append(" :")
        if isAction { line.append("\u{01}ACTION ") }
        if let reply, reply.prependsMention {
            line.append("@")
            line.append(sanitized: reply.mentionName)
            line.append(" ")
        }
        line.append(sanitized: text)
        if isAction { line.append("\u{01}") }
        return line.finish()
    }
}
