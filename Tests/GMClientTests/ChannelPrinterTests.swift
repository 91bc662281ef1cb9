import Foundation
import GMClient
import Testing

@Suite struct ChannelPrinterTests {
    private let alpha = Channel(login: "alpha_gm", connected: false, overlayUrl: "http://localhost:3333/overlay/tok1")
    private let beta = Channel(login: "beta", connected: true, overlayUrl: "http://localhost:3333/overlay/tok22")

    @Test("channel list is a table of login, connected and overlay URL")
    func table() {
        #expect(
            ChannelPrinter.table([self.alpha, self.beta]) == """
                LOGIN     CONNECTED  OVERLAY URL
                alpha_gm  no         http://localhost:3333/overlay/tok1
                beta      yes        http://localhost:3333/overlay/tok22
                """
        )
        #expect(ChannelPrinter.table([]).hasPrefix("No channels."))
    }

    @Test("add tells new from existing and shows the overlay URL; rotate says the old URL stopped working")
    func addAndRotate() {
        #expect(ChannelPrinter.added(self.alpha, created: true).hasPrefix("Added channel alpha_gm"))
        #expect(ChannelPrinter.added(self.alpha, created: false).hasPrefix("Channel alpha_gm was already added"))
        #expect(ChannelPrinter.added(self.beta, created: true).hasSuffix("\n  overlay: http://localhost:3333/overlay/tok22"))
        let rotated = ChannelPrinter.rotated(self.alpha)
        #expect(rotated.contains("\n  http://localhost:3333/overlay/tok1\n"))
        #expect(rotated.contains("old overlay URL stopped working"))
    }

    @Test("a channel without an overlay URL (null) still decodes and prints a dash")
    func nullOverlay() throws {
        let json = #"{"login":"gamma_gm","displayName":null,"connected":false,"overlayUrl":null,"createdAt":"2026-11-29T13:00:00.000Z"}"#
        let channel = try JSONDecoder().decode(Channel.self, from: Data(json.utf8))
        #expect(channel.overlayUrl == nil)
        #expect(ChannelPrinter.table([channel]).hasSuffix("gamma_gm  no         -"))
    }
}
