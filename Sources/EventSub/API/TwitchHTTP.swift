import AsyncHTTPClient
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One answer from Twitch: status, headers and the whole body (bounded).
struct TwitchHTTPResponse: Sendable {
    /// The status code.
    var status: Int
    /// The headers.
    var headers: HTTPHeaders
    /// The body.
    var body: [UInt8]

    /// Decodes the body as `T` (snake_case keys), or throws `malformed` naming `what`.
    func decode<T: Decodable>(_ type: T.Type, _ what: String) throws -> T {
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(T.self, from: Data(self.body))
        } catch {
            throw TwitchAPIError(.malformed, status: self.status, "\(what): the body is not the documented JSON")
        }
    }

    /// Twitch's `message` from an error body, or the start of a non-JSON body.
    var message: String {
        struct Body: Decodable { var message: String? }
        if let body = try? JSONDecoder().decode(Body.self, from: Data(self.body)), let message = body.message { return message }
        return String(decoding: self.body.prefix(200), as: UTF8.self)
    }
}

/// Sends requests to Twitch over a shared `HTTPClient` and maps failures to ``TwitchAPIError``.
struct TwitchHTTP: Sendable {
    /// The longest body read from Twitch.
    static let bodyLimit = 1 << 20

    /// The shared client.
    let client: HTTPClient
    /// The deadline of each request.
    let timeout: TimeAmount

    /// Sends one request and reads the whole answer.
    func send(
        _ method: HTTPMethod,
        _ url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil
    ) async throws -> TwitchHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await self.client.execute(request, timeout: self.timeout)
            let buffer = try await response.body.collect(upTo: Self.bodyLimit)
            return TwitchHTTPResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        } catch let error as TwitchAPIError {
            throw error
        } catch {
            // The URL has no secret in it (tokens travel in headers and bodies), so it may appear.
            throw TwitchAPIError(.transport, status: nil, "\(method.rawValue) \(Self.redacted(url)) failed: \(error)")
        }
    }

    /// `url` without its query.
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }

    /// A form body: `a=1&b=x%20y`.
    static func form(_ items: [(String, String)]) -> [UInt8] {
        Array(items.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&").utf8)
    }

    /// Percent-escapes a query or form value (unreserved characters stay).
    static func escape(_ value: String) -> String {
        var escaped = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                escaped.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                escaped += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return escaped
    }

    /// `?a=1&b=2`, or an empty string.
    static func query(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }
}
