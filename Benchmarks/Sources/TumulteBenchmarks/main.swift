import ChatBridge
import Core
import Foundation

// Each benchmark runs a fixed amount of work several times and prints the median rate; the figures go into
// CHANGELOG and issue notes. Nothing here asserts on speed.

/// Real-shaped Twitch lines: a typical PRIVMSG with full tags, a vote, a /me, a reply, and a Shared Chat copy.
let lines: [String] = [
    "@badge-info=subscriber/14;badges=subscriber/12,premium/1;client-nonce=4a1c8f0e6f0b4d7f9a8f2b2d6d3f5e7a;color=#1E90FF;display-name=SomeViewer;emotes=;first-msg=0;flags=;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;returning-chatter=0;room-id=22484632;subscriber=1;tmi-sent-ts=1700000000123;turbo=0;user-id=135054198;user-type= :someviewer!someviewer@someviewer.tmi.twitch.tv PRIVMSG #forsen :that was a great roll, the dragon never saw it coming",
    "@badge-info=;badges=;color=;display-name=voter42;emotes=;first-msg=0;flags=;id=4f5b8d2a-9a52-4c1e-9d2b-1f2e3d4c5b6a;mod=0;returning-chatter=0;room-id=22484632;subscriber=0;tmi-sent-ts=1700000000456;turbo=0;user-id=987654321;user-type= :voter42!voter42@voter42.tmi.twitch.tv PRIVMSG #forsen :!2",
    "@badge-info=;badges=vip/1;color=#FF4500;display-name=Action\\sHero;emotes=;first-msg=0;flags=;id=0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9;mod=0;returning-chatter=0;room-id=22484632;subscriber=0;tmi-sent-ts=1700000000789;turbo=0;user-id=11223344;user-type=;vip=1 :actionhero!actionhero@actionhero.tmi.twitch.tv PRIVMSG #forsen :\u{01}ACTION !vote 3\u{01}",
    "@badge-info=;badges=;color=;display-name=Replier;emotes=;first-msg=0;flags=;id=aa11bb22-cc33-dd44-ee55-ff6677889900;mod=0;reply-parent-display-name=Streamer;reply-parent-msg-body=vote\\snow!;reply-parent-msg-id=9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0;reply-parent-user-id=22484632;reply-parent-user-login=streamer;reply-thread-parent-msg-id=9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0;reply-thread-parent-user-login=streamer;returning-chatter=0;room-id=22484632;subscriber=0;tmi-sent-ts=1700000001000;turbo=0;user-id=55667788;user-type= :replier!replier@replier.tmi.twitch.tv PRIVMSG #forsen :@streamer 1",
    "@badge-info=;badges=;color=;display-name=Shared;emotes=;first-msg=0;flags=;id=12345678-90ab-cdef-1234-567890abcdef;mod=0;returning-chatter=0;room-id=11111111;source-badge-info=;source-badges=;source-id=fedcba98-7654-3210-fedc-ba9876543210;source-room-id=22484632;subscriber=0;tmi-sent-ts=1700000001234;turbo=0;user-id=99887766;user-type= :shared!shared@shared.tmi.twitch.tv PRIVMSG #otherchannel :!1",
]

/// A frame of 100 lines, as Twitch batches them (IRC-T2).
let frame = (0..<100).map { lines[$0 % lines.count] }.joined(separator: "\r\n") + "\r\n"

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func measure(_ name: String, unit: String, work: Int, runs: Int = 7, _ body: () -> Void) {
    body()  // warm-up
    var rates: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        rates.append(Double(work) / seconds)
    }
    rates.sort()
    let median = rates[rates.count / 2]
    print(
        "\(name): median \(Int(median).formatted()) \(unit)/s (min \(Int(rates.first!).formatted()), max \(Int(rates.last!).formatted()), \(runs) runs)"
    )
}

let count = 1_000_000

measure("IRC parse (IRCMessage) of typical PRIVMSG lines", unit: "lines", work: count) {
    for index in 0..<count {
        blackHole(try? IRCMessage(parsing: lines[index % lines.count]))
    }
}

measure("IRC parse + typed ChatEvent + channel/user/id/text read", unit: "lines", work: count) {
    for index in 0..<count {
        if case .privmsg(let message) = try? ChatEvent(parsing: lines[index % lines.count]) {
            blackHole((message.channel, message.userID, message.messageID, message.text, message.sentAtMilliseconds))
        }
    }
}

let frames = count / 100
measure("frame split + parse + typed event, 100 lines per frame", unit: "lines", work: frames * 100) {
    var splitter = IRCFrameSplitter()
    for _ in 0..<frames {
        splitter.forEachLine(in: frame) { line in
            if case .privmsg(let message) = try? ChatEvent(parsing: line) {
                blackHole(message.text)
            }
        }
    }
}

let parser = ChatVoteParser(optionCount: 5)
let texts = ["!2", "\u{01}ACTION !vote 3\u{01}", "that was a great roll, the dragon never saw it coming", "@streamer 1", "3\u{E0000}"]
measure("ChatVoteParser on mixed chat text", unit: "messages", work: count) {
    for index in 0..<count {
        blackHole(parser.option(in: texts[index % texts.count], isReply: index % 5 == 3))
    }
}
