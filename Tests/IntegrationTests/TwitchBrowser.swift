import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A browser for the OAuth flow: plain GETs that do not follow redirects, and one cookie jar (name → value, with
/// `Max-Age=0` deleting), so a test can walk daemon → Twitch → daemon one hop at a time.
final class TwitchBrowser: Sendable {
    /// One answer.
    struct Page {
        let status: Int
        let location: String?
        let body: String
    }

    private let client: HTTPClient
    private let cookies = Mutex<[String: String]>([:])

    init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Gets `url`, sending and then updating the cookie jar.
    func get(_ url: String) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        let jar = self.cookies.withLock { $0 }
        if !jar.isEmpty { request.headers.add(name: "Cookie", value: jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        let response = try await self.client.execute(request, timeout: .seconds(30))
        for header in response.headers[canonicalForm: "Set-Cookie"] {
            let first = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard first.count == 2 else { continue }
            let name = String(first[0]).trimmingCharacters(in: .whitespaces)
            let value = String(first[1])
            self.cookies.withLock { jar in
                if header.contains("Max-Age=0") || value.isEmpty { jar[name] = nil } else { jar[name] = value }
            }
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        return Page(status: Int(response.status.code), location: response.headers.first(name: "Location"), body: String(buffer: body))
    }

    /// Forgets every cookie (another browser).
    func clearCookies() {
        self.cookies.withLock { $0 = [:] }
    }

    /// Shuts the client down.
    func close() async {
        try? await self.client.shutdown()
    }
}
