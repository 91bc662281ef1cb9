/// One line received from a client, split into tags, command and parameters (IRC-G1).
///
/// Deliberately small and independent of ChatBridge's parser: clients send only a handful of
/// commands, and an independent reader keeps a ChatBridge bug from hiding behind the simulator.
struct ClientLine: Sendable, Equatable {
    /// Raw tag section without `@` (clients may send `reply-parent-msg-id`, IRC-S1).
    let tags: Substring
    /// The command, upper-cased (`PASS`, `NICK`, `JOIN`, ...).
    let command: String
    /// Middle parameters followed by the trailing one, if any.
    let params: [Substring]

    /// Parses a line; nil for an empty or prefix-only line.
    /// - Parameter line: One line without CR/LF.
    init?(_ line: Substring) {
        var rest = line.drop { $0 == " " }
        var tags: Substring = ""
        if rest.first == "@" {
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            tags = rest[rest.index(after: rest.startIndex)..<end]
            rest = rest[end...].drop { $0 == " " }
        }
        if rest.first == ":" {
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            rest = rest[end...].drop { $0 == " " }
        }
        var params: [Substring] = []
        var command: Substring?
        while !rest.isEmpty {
            if command != nil && rest.first == ":" {
                params.append(rest.dropFirst())
                break
            }
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            if command == nil { command = rest[..<end] } else { params.append(rest[..<end]) }
            rest = rest[end...].drop { $0 == " " }
        }
        guard let command, !command.isEmpty else { return nil }
        self.tags = tags
        self.command = command.uppercased()
        self.params = params
    }

    /// The value of a client tag (escaping is not undone; clients only send ids).
    func tag(_ key: String) -> Substring? {
        for pair in tags.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first == Substring(key) { return parts.count > 1 ? parts[1] : "" }
        }
        return nil
    }

    /// Splits a frame's text into lines on CR, LF or CRLF, dropping empty pieces (IRC-T2, IRC-T4).
    static func lines(in text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: true) { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }
    }
}
