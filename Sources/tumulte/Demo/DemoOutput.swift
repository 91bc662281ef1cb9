import Foundation
import GMClient

/// What `tumulte demo` prints on standard output, written at once (not buffered) so a pipe sees it immediately.
enum DemoOutput {
    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// The "ready" block: overlay URLs, the dashboard, the API key and commands to try.
    static func banner(
        overlays: [(login: String, url: String)],
        nativeChannel: String,
        publicURL: String,
        apiKey: String,
        settings: DemoDriver.Settings
    ) {
        let width = overlays.map(\.login.count).max() ?? 0
        var text = """

            tumulte demo is ready: a simulated Twitch with \(settings.viewers) viewers in \(overlays.count) channels.

              Overlays (OBS browser source, 1920×1080, or any browser):

            """
        for overlay in overlays {
            text += "    \(overlay.login.padding(toLength: width, withPad: " ", startingAt: 0))  \(overlay.url)\n"
        }
        let firstChannel = overlays.first?.login ?? "channel"
        text += """

              \(nativeChannel) is a Twitch affiliate with its account connected: its polls run as Twitch's own
              poll (viewers click, some add channel points) and the others count chat commands such as !2.

              GM dashboard:  \(publicURL)/dashboard#key=\(apiKey)
              API key:       \(apiKey)

              Try it (a new poll also starts every \(Int(settings.pollEvery.components.seconds)) s by itself):
                curl -H 'Authorization: Bearer \(apiKey)' \(publicURL)/api/v1/polls
                TUMULTE_URL=\(publicURL) TUMULTE_API_KEY=\(apiKey) \\
                  \(CommandLine.arguments.first ?? "tumulte") poll start --title 'Kick the door?' --option Yes --option No --channel \(firstChannel)

              Ctrl-C stops everything; the data stays in .local/ (make clean-local deletes it).

            """
        Self.line(text)
    }

    /// One poll's outcome in a line.
    static func result(serial: Int, poll: Poll) {
        guard let tally = poll.tally else {
            Self.line("poll \(serial) \(poll.status): no tally")
            return
        }
        let winners = tally.winners.filter { poll.options.indices.contains($0) && tally.votes.indices.contains($0) }
        let outcome: String
        switch winners.count {
        case 0: outcome = "no votes"
        case 1: outcome = "\(poll.options[winners[0]]) wins with \(tally.votes[winners[0]]) of \(tally.totalVotes) votes"
        default: outcome = "tie between \(winners.map { poll.options[$0] }.joined(separator: ", ")) (\(tally.totalVotes) votes)"
        }
        Self.line("poll \(serial) \(poll.status): \(poll.title) — \(outcome)")
    }
}
