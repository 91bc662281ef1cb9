/// One emote occurrence in a chat message's text (IRC-G5).
public struct ChatEmote: Sendable, Hashable {
    /// The emote id: an opaque string (`25`, `300196486_TK`, even `80481_/3`).
    public let id: String
    /// Position in the text in Unicode scalars, end exclusive, clamped to the text.
    public let range: Range<Int>
    /// The text the range covers (equal to the emote name when Twitch's indices are right).
    public let code: String

    /// Creates an emote occurrence.
    /// - Parameters:
    ///   - id: The emote id.
    ///   - range: Unicode-scalar range in the text, end exclusive.
    ///   - code: The covered text.
    public init(id: String, range: Range<Int>, code: String) {
        self.id = id
        self.range = range
        self.code = code
    }

    /// Parses an `emotes` tag value against the (ACTION-unwrapped) text it describes.
    ///
    /// Format `id:start-end[,start-end]/id:...`, zero-based inclusive Unicode-scalar indices. Ids may
    /// contain `/`, so an id runs to the next `:` (empty `//` entries are skipped). Ranges that are
    /// reversed, unparsable or start past the end of the text are skipped; ranges running past the end
    /// are clamped. Never traps.
    /// - Parameters:
    ///   - raw: The `emotes` tag value.
    ///   - text: The message text the indices refer to.
    /// - Returns: The occurrences ordered by position.
    public static func parseList(_ raw: some StringProtocol, in text: String) -> [ChatEmote] {
        guard !raw.isEmpty else { return [] }
        var scalarIndices: [String.Index] = []
        scalarIndices.reserveCapacity(text.utf8.count + 1)
        var position = text.unicodeScalars.startIndex
        while position < text.unicodeScalars.endIndex {
            scalarIndices.append(position)
            position = text.unicodeScalars.index(after: position)
        }
        scalarIndices.append(text.unicodeScalars.endIndex)
        let scalarCount = scalarIndices.count - 1

        var emotes: [ChatEmote] = []
        var rest = Substring(raw)
        while !rest.isEmpty {
            rest = rest.drop { $0 == "/" }
            guard let colon = rest.firstIndex(of: ":") else { break }
            let id = String(rest[rest.startIndex..<colon])
            let afterColon = rest.index(after: colon)
            let rangesEnd = rest[afterColon...].firstIndex(of: "/") ?? rest.endIndex
            for pair in rest[afterColon..<rangesEnd].split(separator: ",") {
                guard let dash = pair.firstIndex(of: "-"),
                    let start = boundedInt(pair[pair.startIndex..<dash]),
                    let end = boundedInt(pair[pair.index(after: dash)...]),
                    start <= end, start < scalarCount, !id.isEmpty
                else { continue }
                let upper = min(end + 1, scalarCount)
                let code = String(text.unicodeScalars[scalarIndices[start]..<scalarIndices[upper]])
                emotes.append(ChatEmote(id: id, range: start..<upper, code: code))
            }
            rest = rangesEnd < rest.endIndex ? rest[rest.index(after: rangesEnd)...] : rest[rest.endIndex...]
        }
        emotes.sort { $0.range.lowerBound < $1.range.lowerBound }
        return emotes
    }

    /// A non-negative decimal of at most 9 digits, else nil.
    private static func boundedInt(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.utf8.count <= 9,
            digits.utf8.allSatisfy({ $0 >= ASCII.zero && $0 <= ASCII.nine })
        else { return nil }
        return Int(digits)
    }
}
