/// The OBS overlay page served at `GET /overlay/{token}`: one self-contained HTML file with its CSS and JS.
///
/// The page reads its channel from `<meta name="tumulte-channel">`, streams `/overlay/{token}/events` from the same
/// origin, and takes its look from the URL (`theme`, `accent`, `position`, `scale`, `hideAfter`, `view`).
public enum OverlayPage {
    /// The literal the page carries where the channel login goes.
    public static let channelPlaceholder = "__TUMULTE_CHANNEL__"

    /// The page for one channel: the placeholder replaced by the login, HTML-escaped.
    public static func html(channel login: String) -> String {
        Self.replacing(Self.channelPlaceholder, with: Self.escapeHTML(login), in: OverlayPageDocument.html)
    }

    /// A strong ETag for a page: its FNV-1a 64 hash over the UTF-8 bytes, as 16 hex digits in quotes.
    public static func etag(for html: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in html.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// `text` with every occurrence of `target` replaced by `replacement` (no Foundation in this module).
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = text[...]
        while !target.isEmpty, let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` as character references, safe in HTML text and quoted attributes.
    public static func escapeHTML(_ text: String) -> String {
        // By scalar, not Character: `"` followed by a combining mark is one Character that would match no case.
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
