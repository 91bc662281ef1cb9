/// How far one client (or the hub) has got in one poll's feed: the last version and whether it was the end.
///
/// Versions never go backwards. At an equal version `poll.end` still follows a `poll.start` or `poll.tally`
/// (end beats tally), and once a poll has ended only a later `poll.end` may follow, so a final result never
/// turns back into a live one.
struct FeedMark: Sendable, Hashable {
    /// The version of the last event.
    var version: Int
    /// Whether the last event was `poll.end`.
    var isEnd: Bool

    /// The mark an event leaves behind.
    init(_ event: FeedEvent) {
        self.version = event.version
        self.isEnd = event.kind == .end
    }

    /// A mark at `version`; a `Last-Event-ID` gives one that is not an end.
    init(version: Int, isEnd: Bool = false) {
        self.version = version
        self.isEnd = isEnd
    }

    /// Whether an event of `kind` at `version` may follow this mark.
    func admits(_ kind: FeedEvent.Kind, version: Int) -> Bool {
        if self.isEnd { return kind == .end && version > self.version }
        if version != self.version { return version > self.version }
        return kind == .end
    }

    /// Whether `event` may follow this mark.
    func admits(_ event: FeedEvent) -> Bool {
        self.admits(event.kind, version: event.version)
    }
}

/// A parsed `Last-Event-ID` header: `<pollId>:<version>`.
struct FeedEventID: Sendable, Hashable {
    /// The poll.
    var pollID: String
    /// The version the client last received of that poll.
    var version: Int

    /// Parses `<pollId>:<version>` (split at the last colon; the version is 1 to 18 ASCII digits); nil when
    /// malformed, which the hub treats as no header at all.
    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let poll = text[..<colon]
        let digits = text[text.index(after: colon)...]
        guard !poll.isEmpty, (1...18).contains(digits.utf8.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let version = Int(digits)
        else { return nil }
        self.pollID = String(poll)
        self.version = version
    }
}
