import NIOCore
import OverlayFeed
import Testing

@Suite struct ServerSentEventTests {
    @Test("fields are written in order and the event ends with a blank line")
    func fields() {
        let event = ServerSentEvent(event: "poll.tally", id: "p1:7", data: #"{"totalVotes":3}"#, retry: 2000)
        #expect(String(buffer: event.encoded) == "retry: 2000\nid: p1:7\nevent: poll.tally\ndata: {\"totalVotes\":3}\n\n")
    }

    @Test("multi-line data becomes one data field per line, whatever the line ending")
    func multiLine() {
        let event = ServerSentEvent(data: "a\nb\r\nc\rd")
        #expect(String(buffer: event.encoded) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
    }

    @Test("a newline in id or event cannot inject a field")
    func injection() {
        let event = ServerSentEvent(event: "x\ndata: evil", id: "1\r\nevent: evil", data: "ok")
        #expect(String(buffer: event.encoded) == "id: 1event: evil\nevent: xdata: evil\ndata: ok\n\n")
    }

    @Test("the heartbeat is a comment for proxies plus an id-less ping event a browser can see")
    func heartbeat() {
        #expect(String(buffer: ServerSentEvent.heartbeat) == ": ping\nevent: ping\ndata: {}\n\n")
    }

    @Test("empty data still yields one data field")
    func emptyData() {
        #expect(String(buffer: ServerSentEvent(data: "").encoded) == "data: \n\n")
    }
}
