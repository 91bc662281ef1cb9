import Foundation

/// A 2xx answer of the GM API: its status, its raw body (printed as-is under `--json`) and a way to decode it.
public struct GMResponse<Value: Decodable & Sendable>: Sendable {
    /// The HTTP status, e.g. 201.
    public let status: Int
    /// The body bytes, unchanged.
    public let body: [UInt8]
    /// Whether the daemon replayed an earlier answer for the same `Idempotency-Key` (`Idempotent-Replayed: true`).
    public let replayed: Bool
    /// The request URL, for messages.
    public let url: String

    /// Creates a response.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - body: the body bytes.
    ///   - replayed: the `Idempotent-Replayed` flag.
    ///   - url: the request URL.
    public init(status: Int, body: [UInt8], replayed: Bool = false, url: String) {
        self.status = status
        self.body = body
        self.replayed = replayed
        self.url = url
    }

    /// The body as text (invalid UTF-8 repaired).
    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// Decodes the body.
    /// - Throws: ``GMClientError`` with code `invalidResponse` when the body is not the JSON expected.
    public func value() throws(GMClientError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(self.body))
        } catch {
            throw GMClientError(
                .invalidResponse,
                "unexpected answer from \(self.url) (HTTP \(self.status)): \(Self.reason(error)); is --url a tumulte daemon of this version?"
            )
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "field \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case DecodingError.dataCorrupted: "the body is not JSON"
        default: "\(error)"
        }
    }
}

/// The value type of a response without a body (204); it is never decoded.
public struct NoContent: Decodable, Sendable, Equatable {
    /// Creates the empty value.
    public init() {}
}
