/// The human output of the `tumulte channel` commands; pure functions of the decoded answers.
public enum ChannelPrinter {
    /// After `channel add`: whether the channel is new (201) or was already there (200), and its overlay URL.
    /// - Parameters:
    ///   - channel: the channel.
    ///   - created: true for a 201 answer.
    public static func added(_ channel: Channel, created: Bool) -> String {
        let what = created ? "Added channel \(channel.login)" : "Channel \(channel.login) was already added"
        return "\(what) (\(Self.connection(channel))).\n  overlay: \(channel.overlayUrl ?? Self.noOverlay)"
    }

    /// After `channel list`: a table of login, connected, overlay URL, or a hint when there are none.
    /// - Parameter channels: the channels.
    public static func table(_ channels: [Channel]) -> String {
        guard !channels.isEmpty else { return "No channels. Add one with `tumulte channel add LOGIN`." }
        return TextTable.render(
            header: ["LOGIN", "CONNECTED", "OVERLAY URL"],
            rows: channels.map { [$0.login, $0.connected ? "yes" : "no", $0.overlayUrl ?? "-"] }
        )
    }

    /// After `channel remove`.
    /// - Parameter login: the removed login.
    public static func removed(_ login: String) -> String {
        "Removed channel \(login). Past polls keep its results; a running poll that uses it counts until it ends."
    }

    /// After `channel rotate-overlay`: the new URL, and that the old one stopped working.
    /// - Parameter channel: the channel with its new overlay URL.
    public static func rotated(_ channel: Channel) -> String {
        """
        New overlay URL for \(channel.login):
          \(channel.overlayUrl ?? Self.noOverlay)
        The old overlay URL stopped working; paste the new one into the OBS browser source.
        """
    }

    private static let noOverlay = "(none sent by the daemon)"

    private static func connection(_ channel: Channel) -> String {
        channel.connected ? "Twitch account linked" : "no Twitch account linked: chat votes only"
    }
}
