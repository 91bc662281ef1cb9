import ChatBridge
import Testing

/// Frame splitting (IRC-T2, IRC-T3).
@Suite struct IRCFrameSplitterTests {
    @Test("IRC-T2 one frame carries several CRLF-terminated messages")
    func severalPerFrame() {
        var splitter = IRCFrameSplitter()
        let lines = splitter.lines(in: "PING :a\r\nPING :b\r\nPING :c\r\n")
        #expect(lines == ["PING :a", "PING :b", "PING :c"])
        #expect(!splitter.hasPartialLine)
    }

    @Test("IRC-T2 empty pieces are dropped")
    func emptyPieces() {
        var splitter = IRCFrameSplitter()
        #expect(splitter.lines(in: "\r\n\r\nA\r\n\r\n\nB\r\n\r\n") == ["A", "B"])
        #expect(splitter.lines(in: "") == [])
        #expect(splitter.lines(in: "\r\n") == [])
    }

    @Test("IRC-T3 a bare LF (and a bare CR) also ends a line")
    func bareTerminators() {
        var splitter = IRCFrameSplitter()
        #expect(splitter.lines(in: "A\nB\rC\r\nD\n") == ["A", "B", "C", "D"])
    }

    @Test("IRC-T3 a partial line is carried into the next frame")
    func partialAcrossFrames() throws {
        var splitter = IRCFrameSplitter()
        #expect(splitter.lines(in: "PING :a\r\n@id=1 :u!u@u PRIV") == ["PING :a"])
        #expect(splitter.hasPartialLine)
        #expect(splitter.partialLineLength == "@id=1 :u!u@u PRIV".utf8.count)
        #expect(splitter.lines(in: "MSG #c :hel") == [])
        let lines = splitter.lines(in: "lo\r\nPING :b\r\n")
        #expect(lines == ["@id=1 :u!u@u PRIVMSG #c :hello", "PING :b"])
        #expect(!splitter.hasPartialLine)
        #expect(try ChatMessage(IRCMessage(parsing: lines[0]))?.text == "hello")
    }

    @Test("IRC-T3 a CR at the end of one frame and the LF at the start of the next make one terminator")
    func splitCRLF() {
        var splitter = IRCFrameSplitter()
        #expect(splitter.lines(in: "A\r") == ["A"])
        #expect(splitter.lines(in: "\nB\r\n") == ["B"])
        #expect(splitter.lines(in: "C") == [])
        #expect(splitter.lines(in: "\r") == ["C"])
        #expect(splitter.lines(in: "\n") == [])
    }

    @Test("IRC-T3 an overlong partial line is dropped and counted, memory stays bounded")
    func overlongPartial() {
        var splitter = IRCFrameSplitter(maximumLineLength: 64)
        let chunk = String(repeating: "x", count: 40)
        #expect(splitter.lines(in: "PING :a\r\n" + chunk) == ["PING :a"])
        #expect(splitter.partialLineLength == 40)
        #expect(splitter.lines(in: chunk) == [])
        #expect(splitter.droppedLineCount == 1)
        #expect(splitter.partialLineLength == 0)
        // The rest of the dropped line is skipped until its terminator, however many frames it spans.
        for _ in 0..<100 {
            #expect(splitter.lines(in: chunk) == [])
            #expect(splitter.partialLineLength == 0)
        }
        #expect(splitter.lines(in: "tail of the long line\r\nPING :b\r\n") == ["PING :b"])
        #expect(splitter.droppedLineCount == 1)
        #expect(!splitter.hasPartialLine)
    }

    @Test("IRC-T3 the default bound is 64 KiB")
    func defaultBound() {
        var splitter = IRCFrameSplitter()
        #expect(splitter.maximumLineLength == 65_536)
        let big = String(repeating: "y", count: 60_000)
        #expect(splitter.lines(in: big).isEmpty)
        #expect(splitter.droppedLineCount == 0)
        #expect(splitter.lines(in: big).isEmpty)
        #expect(splitter.droppedLineCount == 1)
        #expect(splitter.lines(in: "\r\nPING :ok\r\n") == ["PING :ok"])
    }

    @Test("IRC-T3 a complete line over the bound is dropped too")
    func overlongComplete() {
        var splitter = IRCFrameSplitter(maximumLineLength: 10)
        #expect(splitter.lines(in: "short\r\n0123456789ABC\r\nok\r\n") == ["short", "ok"])
        #expect(splitter.droppedLineCount == 1)
    }

    @Test("IRC-T3 reset forgets a partial line (after a reconnect)")
    func reset() {
        var splitter = IRCFrameSplitter()
        _ = splitter.lines(in: "@id=1 :u!u@u PRIV")
        splitter.reset()
        #expect(!splitter.hasPartialLine)
        #expect(splitter.lines(in: "PING :x\r\n") == ["PING :x"])
    }

    @Test("IRC-T2 lines are slices of the frame, multi-byte text intact")
    func unicodeFrame() {
        var splitter = IRCFrameSplitter()
        let lines = splitter.lines(in: ":a PRIVMSG #c :👉 <3\r\n:a PRIVMSG #c :Я не\r\n")
        #expect(lines == [":a PRIVMSG #c :👉 <3", ":a PRIVMSG #c :Я не"])
    }

    @Test("IRC-T2 frames given as bytes are decoded lossily")
    func byteFrames() {
        var splitter = IRCFrameSplitter()
        let lines = splitter.lines(in: Array("PING :a\r\nPING :\u{FF}".utf8) + [0xFF, 0x0D, 0x0A])
        #expect(lines == ["PING :a", "PING :\u{FF}\u{FFFD}"])
    }

    @Test("IRC-T2 forEachLine visits lines in order without building an array")
    func forEachLine() {
        var splitter = IRCFrameSplitter()
        var seen: [String] = []
        splitter.forEachLine(in: "A\r\nB\r\nC") { seen.append(String($0)) }
        splitter.forEachLine(in: "D\r\n") { seen.append(String($0)) }
        #expect(seen == ["A", "B", "CD"])
    }
}
