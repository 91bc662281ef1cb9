import Foundation

/// Where the GM API is and which key opens it; builds the request URLs.
public struct GMServer: Sendable {
    /// The URL used when neither `--url` nor `TUMULTE_URL` is given.
    public static let defaultURL = "http://localhost:3333"
    /// The environment variable read when `--url` is absent.
    public static let urlVariable = "TUMULTE_URL"
    /// The environment variable read when `--api-key` is absent.
    public static let apiKeyVariable = "TUMULTE_API_KEY"

    /// The message when no API key is given.
    static let missingKeyMessage = "no API key: pass --api-key or set TUMULTE_API_KEY (create one with `tumulte apikey create --name NAME`)"

    /// The base URL without trailing slashes, e.g. `http://localhost:3333` or `https://gm.example/tumulte`; safe to print.
    public let baseURL: String
    /// The bearer API key; never printed.
    let apiKey: String

    /// Checks a base URL and keeps it without trailing slashes.
    /// - Parameters:
    ///   - baseURL: an `http://` or `https://` URL with a host, an optional path prefix, no query, fragment or credentials.
    ///   - apiKey: the GM API key.
    /// - Throws: ``GMClientError`` with code `usage` when the URL or the key is unusable.
    public init(baseURL: String, apiKey: String) throws(GMClientError) {
        var trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw GMClientError(
                .usage,
                "the daemon URL (--url or \(Self.urlVariable)) must be an http:// or https:// URL with a host, e.g. \(Self.defaultURL); got \"\(trimmed)\""
            )
        }
        guard components.user == nil, components.password == nil else {
            throw GMClientError(.usage, "the daemon URL must not carry credentials; pass the API key with --api-key or \(Self.apiKeyVariable)")
        }
        guard components.query == nil, components.fragment == nil else {
            throw GMClientError(.usage, "the daemon URL must not have a query or a fragment; got \"\(trimmed)\"")
        }
        let key = apiKey.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else {
            throw GMClientError(.usage, Self.missingKeyMessage)
        }
        guard key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw GMClientError(
                .usage,
                "the API key holds spaces or characters that cannot go in an HTTP header; check --api-key or \(Self.apiKeyVariable)"
            )
        }
        self.baseURL = trimmed
        self.apiKey = key
    }

    /// Picks the URL and key from the options, else the environment (an empty variable counts as unset), else the default URL.
    /// - Parameters:
    ///   - url: the `--url` value, if given.
    ///   - apiKey: the `--api-key` value, if given.
    ///   - environment: the process environment.
    /// - Throws: ``GMClientError`` with code `usage` when there is no key or the URL is unusable.
    public static func resolve(url: String?, apiKey: String?, environment: [String: String]) throws(GMClientError) -> GMServer {
        let url = url ?? environment[Self.urlVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        let key = apiKey ?? environment[Self.apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let key else {
            throw GMClientError(.usage, Self.missingKeyMessage)
        }
        return try GMServer(baseURL: url, apiKey: key)
    }

    /// The URL of an API route: the base, then each path segment percent-encoded, then the query (nil values left out).
    /// - Parameters:
    ///   - segments: path segments after the base, e.g. `["api", "v1", "polls", id]`; a `/` inside a segment is encoded.
    ///   - query: query items in order; an item with a nil value is omitted.
    public func url(_ segments: [String], query: [(String, String?)] = []) -> String {
        var url = self.baseURL
        for segment in segments {
            url += "/" + Self.percentEncoded(segment)
        }
        let items = query.compactMap { name, value in value.map { Self.percentEncoded(name) + "=" + Self.percentEncoded($0) } }
        if !items.isEmpty {
            url += "?" + items.joined(separator: "&")
        }
        return url
    }

    /// Percent-encodes every byte of the UTF-8 text except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    ///
    /// The dot segments `.` and `..` are encoded too (`%2E`), so an id can never climb out of its route.
    /// - Parameter text: a path segment or a query name or value.
    public static func percentEncoded(_ text: String) -> String {
        if text == "." || text == ".." { return String(repeating: "%2E", count: text.count) }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
