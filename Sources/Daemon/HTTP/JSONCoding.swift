public import Foundation
public import Hummingbird

/// JSON bodies of the API: encoding with sorted keys and RFC 3339 millisecond dates, and tolerant object decoding.
enum JSONCoding {
    /// Dates as `2026-11-29T13:05:00.123Z`, rounded to the millisecond (PostgreSQL's microseconds can land a hair
    /// below the stored millisecond, which plain formatting would truncate).
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, positiveFraction) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let base = Date(timeIntervalSince1970: Double(wholeSeconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(positiveFraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// The request body as a JSON object; 400 `invalid_json` when it is not one.
    static func object(from request: Request, context: some RequestContext) async throws -> [String: JSONValue] {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request needs a JSON object body.")
        }
        guard case .object(let object) = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request body must be a JSON object.")
        }
        return object
    }
}

/// Any JSON value, decoded without a schema so each field can be checked and reported on its own.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// Typed reads of a decoded JSON object that collect a message per bad field instead of stopping at the first.
struct JSONFields {
    private let object: [String: JSONValue]
    /// Field → problem, for a 422.
    private(set) var problems: [String: String] = [:]

    init(_ object: [String: JSONValue], allowed: Set<String>) {
        self.object = object
        for key in object.keys where !allowed.contains(key) {
            self.problems[key] = "is not a known field (expected one of \(allowed.sorted().joined(separator: ", ")))"
        }
    }

    /// A string field; nil when absent or null.
    mutating func string(_ key: String) -> String? {
        switch self.object[key] {
        case nil, .null: return nil
        case .string(let text): return text
        default:
            self.problems[key] = "must be a string"
            return nil
        }
    }

    /// An integer field; nil when absent or null.
    mutating func integer(_ key: String) -> Int? {
        switch self.object[key] {
        case nil, .null: return nil
        case .number(let number) where Int(exactly: number) != nil: return Int(exactly: number)
        default:
            self.problems[key] = "must be an integer"
            return nil
        }
    }

    /// An array-of-strings field; nil when absent or null.
    mutating func strings(_ key: String) -> [String]? {
        switch self.object[key] {
        case nil, .null: return nil
        case .array(let array):
            var strings: [String] = []
            for (index, element) in array.enumerated() {
                guard case .string(let text) = element else {
                    self.problems["\(key)[\(index)]"] = "must be a string"
                    continue
                }
                strings.append(text)
            }
            return strings
        default:
            self.problems[key] = "must be an array of strings"
            return nil
        }
    }
}
