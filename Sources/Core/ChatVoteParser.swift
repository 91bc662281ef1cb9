/// Recognises a chat message that is a vote: exactly `N`, `!N` or `!vote N` (case-insensitive), 1 ≤ N ≤ options.
///
/// Before matching it unwraps `/me` (`\u{01}ACTION …\u{01}`), drops the `@login ` that Twitch puts in front of a
/// reply, and trims white space plus the invisible characters chat clients append to get past Twitch's
/// duplicate-message filter (U+E0000, zero-width spaces and joiners). Anything else is not a vote.
public struct ChatVoteParser: Sendable {
    /// How many options the poll has (2…9 makes sense; only single digits are votes).
    public let optionCount: Int

    /// Creates a parser for a poll with `optionCount` options.
    public init(optionCount: Int) {
        self.optionCount = optionCount
    }

    /// The zero-based option index the message votes for, or nil when it is not a vote.
    /// - Parameters:
    ///   - text: The message text, with or without the `/me` wrapper.
    ///   - isReply: Whether the message replies to another (Twitch then prefixes `@parentlogin `).
    public func option(in text: Substring, isReply: Bool = false) -> Int? {
        var bytes = Array(text.utf8)[...]
        Self.unwrapAction(&bytes)
        Self.trim(&bytes)
        if isReply, bytes.first == UInt8(ascii: "@") {
            guard let space = bytes.firstIndex(where: Self.isSpace) else { return nil }
            bytes = bytes[space...]
            Self.trim(&bytes)
        }
        if bytes.first == UInt8(ascii: "!") {
            bytes = bytes.dropFirst()
            if bytes.count > 4, Self.matchesVoteKeyword(bytes.prefix(4)) {
                let rest = bytes.dropFirst(4)
                guard let first = rest.first, Self.isSpace(first) else { return nil }
                bytes = rest
                Self.trim(&bytes)
            }
        }
        guard bytes.count == 1, let digit = bytes.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(digit) else { return nil }
        let number = Int(digit - UInt8(ascii: "0"))
        return number <= self.optionCount ? number - 1 : nil
    }

    /// Convenience for `String` input.
    public func option(in text: String, isReply: Bool = false) -> Int? {
        self.option(in: text[...], isReply: isReply)
    }

    private static func matchesVoteKeyword(_ bytes: ArraySlice<UInt8>) -> Bool {
        let lowered = bytes.map { $0 | 0x20 }
        return lowered == Array("vote".utf8)
    }

    private static func unwrapAction(_ bytes: inout ArraySlice<UInt8>) {
        let prefix = Array("\u{01}ACTION".utf8)
        guard bytes.starts(with: prefix) else { return }
        bytes = bytes.dropFirst(prefix.count)
        if bytes.last == 0x01 { bytes = bytes.dropLast() }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// Drops leading and trailing white space and invisible filler characters.
    private static func trim(_ bytes: inout ArraySlice<UInt8>) {
        while true {
            let before = bytes.count
            while let first = bytes.first, first <= 0x20 { bytes = bytes.dropFirst() }
            while let last = bytes.last, last <= 0x20 { bytes = bytes.dropLast() }
            for filler in Self.fillers {
                if bytes.starts(with: filler) { bytes = bytes.dropFirst(filler.count) }
                if bytes.count >= filler.count, bytes.suffix(filler.count).elementsEqual(filler) { bytes = bytes.dropLast(filler.count) }
            }
            if bytes.count == before { return }
        }
    }

    /// UTF-8 of U+E0000 (tag space, added by chat clients to repeated messages), ZWSP, ZWNJ, ZWJ, WJ and BOM.
    private static let fillers: [[UInt8]] = ["\u{E0000}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"].map { Array($0.utf8) }
}
