import ChatBridge
import Testing

/// A small deterministic generator (SplitMix64), so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random and mutated input never traps the parser, the typed layer or the splitter.
@Suite struct ParserFuzzTests {
    /// Bytes that carry meaning somewhere in the grammar.
    static let interesting: [UInt8] = Array(" :;=@!\\\r\n/,-#.0123456789sACTION".utf8) + [0x01, 0x00, 0xFF, 0xC3, 0xE2, 0xF0]

    /// Every captured line of the other suites, as seeds for mutation.
    static var corpus: [String] {
        CapturedPrivmsg.all.map(\.line)
            + CapturedModerationTests.clearChats.map(\.line)
            + CapturedModerationTests.clearMessages.map(\.line)
            + CapturedModerationTests.notices.map(\.line)
            + CapturedStateTests.roomStates.map(\.line)
            + CapturedStateTests.userStates.map(\.line)
            + CapturedStateTests.globalUserStates.map(\.line)
            + CapturedStateTests.userNotices.map(\.line)
            + CapturedConnectionTests.connection.map(\.line)
    }

    /// Reads every accessor of a parsed line so any trap in lazy code paths shows up.
    static func exercise(_ message: IRCMessage) -> Int {
        var touched = message.command.utf8.count + message.params.count + message.paramCount
        touched += message.tags.dictionary.count + (message.prefix?.nick?.count ?? 0)
        touched += message.trailing?.utf8.count ?? 0
        switch ChatEvent(message) {
        case .privmsg(let chat):
            touched += chat.channel.count + chat.roomID.count + chat.userID.count + chat.login.count
            touched += chat.displayName.count + chat.messageID.count + chat.text.count
            touched += chat.badges.count + chat.emotes.count + (chat.reply?.body.count ?? 0)
            touched += (chat.sourceMessageID?.count ?? 0) + (chat.sentAt == nil ? 0 : 1) + (chat.isSharedChatCopy ? 1 : 0)
        case .userNotice(let notice):
            touched += notice.systemMessage.count + (notice.text?.count ?? 0)
        case .userState(let state):
            touched += state.badges.count
        case .globalUserState(let state):
            touched += state.badges.count
        default:
            touched += 1
        }
        return touched
    }

    @Test("IRC-G1 random byte lines never trap")
    func randomBytes() {
        var generator = SeededGenerator(seed: 0x7475_6D75_6C74_65)
        var parsed = 0
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<length).map { _ -> UInt8 in
                Bool.random(using: &generator)
                    ? Self.interesting.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            if let message = try? IRCMessage(parsingBytes: bytes) {
                parsed += 1
                _ = Self.exercise(message)
            }
        }
        #expect(parsed > 0)
    }

    @Test("IRC-G1/G3/G5 mutations of captured lines never trap")
    func mutatedCapturedLines() {
        var generator = SeededGenerator(seed: 2024)
        let corpus = Self.corpus.map { Array($0.utf8) }
        #expect(corpus.count >= 45)
        var parsed = 0
        for _ in 0..<5_000 {
            var bytes = corpus.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            if let message = try? IRCMessage(parsingBytes: bytes) {
                parsed += 1
                _ = Self.exercise(message)
            }
        }
        #expect(parsed > 2_000)
    }

    @Test("IRC-T2/T3 any chunking of a stream yields the same lines as the whole stream")
    func chunkingInvariance() {
        var generator = SeededGenerator(seed: 42)
        let corpus = Self.corpus
        for _ in 0..<300 {
            var stream = ""
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                stream += corpus.randomElement(using: &generator)!
                stream += ["\r\n", "\n", "\r\n\r\n"].randomElement(using: &generator)!
            }
            var whole = IRCFrameSplitter()
            let expected = whole.lines(in: stream).map(String.init)
            var chunked = IRCFrameSplitter()
            var collected: [String] = []
            var rest = Substring(stream)
            while !rest.isEmpty {
                let cut =
                    rest.index(rest.startIndex, offsetBy: Int.random(in: 1...200, using: &generator), limitedBy: rest.endIndex)
                    ?? rest.endIndex
                collected += chunked.lines(in: String(rest[..<cut])).map(String.init)
                rest = rest[cut...]
            }
            #expect(collected == expected)
            #expect(!chunked.hasPartialLine)
        }
    }

    @Test("IRC-T3 random frames never trap the splitter and never grow past its bound")
    func randomFrames() {
        var generator = SeededGenerator(seed: 7)
        var splitter = IRCFrameSplitter(maximumLineLength: 512)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...700, using: &generator)
            let bytes = (0..<length).map { _ in Self.interesting.randomElement(using: &generator)! }
            for line in splitter.lines(in: bytes) {
                #expect(line.utf8.count <= 512)
                if let message = try? IRCMessage(parsing: line) { _ = Self.exercise(message) }
            }
            #expect(splitter.partialLineLength <= 512)
        }
    }

    @Test("IRC-G2/G3 the fast tag pass agrees with the tag view on random tag sections")
    func fastTagPassAgrees() throws {
        var generator = SeededGenerator(seed: 99)
        let keys = ["id", "room-id", "user-id", "display-name", "badges", "source-id", "source-room-id", "x", "ids", "mod"]
        let alphabet = Array("ab;=\\s:1é ".unicodeScalars).map(Character.init)
        for _ in 0..<2_000 {
            var pieces: [String] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let key = keys.randomElement(using: &generator)!
                var value = ""
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    let character = alphabet.randomElement(using: &generator)!
                    if character != ";" && character != " " { value.append(character) }
                }
                pieces.append(Bool.random(using: &generator) ? "\(key)=\(value)" : key)
            }
            let line = "@\(pieces.joined(separator: ";")) :u!u@u PRIVMSG #c :text"
            let message = try IRCMessage(parsing: line)
            let chat = try #require(ChatMessage(message))
            #expect(chat.messageID == (message.tag("id") ?? ""), "\(line)")
            #expect(chat.roomID == (message.tag("room-id") ?? ""), "\(line)")
            #expect(chat.userID == (message.tag("user-id") ?? ""), "\(line)")
            #expect(chat.displayName == (message.tag("display-name") ?? ""), "\(line)")
            #expect(chat.rawBadges == (message.tag("badges") ?? ""), "\(line)")
            #expect(chat.sourceMessageID == message.tag("source-id").flatMap { $0.isEmpty ? nil : $0 }, "\(line)")
            #expect(chat.isModerator == (message.tags.rawValue(forKey: "mod") == "1"), "\(line)")
        }
    }

    /// Applies one random edit to `bytes`.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        guard !bytes.isEmpty else {
            bytes.append(interesting.randomElement(using: &generator)!)
            return
        }
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: bytes[position] = interesting.randomElement(using: &generator)!
        case 1: bytes[position] = UInt8.random(in: 0...255, using: &generator)
        case 2: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...20, using: &generator)))
        case 3:
            let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        case 4: bytes.removeSubrange(position...)
        default: bytes.insert(interesting.randomElement(using: &generator)!, at: position)
        }
    }
}
