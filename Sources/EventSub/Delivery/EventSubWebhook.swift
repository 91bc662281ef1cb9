import Core
import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The checks a webhook delivery must pass before anything in it is believed (WH-1 … WH-4).
public struct EventSubWebhook: Sendable {
    /// The headers of a delivery (names are case-insensitive on the wire; the caller looks them up so).
    public struct Headers: Sendable {
        /// `Twitch-Eventsub-Message-Id`.
        public var messageID: String?
        /// `Twitch-Eventsub-Message-Timestamp`.
        public var timestamp: String?
        /// `Twitch-Eventsub-Message-Signature`, `sha256=<hex>`.
        public var signature: String?
        /// `Twitch-Eventsub-Message-Type`: `notification`, `webhook_callback_verification` or `revocation`.
        public var messageType: String?

        /// Creates the headers.
        public init(messageID: String?, timestamp: String?, signature: String?, messageType: String?) {
            self.messageID = messageID
            self.timestamp = timestamp
            self.signature = signature
            self.messageType = messageType
        }
    }

    /// A delivery whose signature and timestamp are good.
    public struct Verified: Sendable, Hashable {
        /// The message id, for de-duplication.
        public var messageID: String
        /// When Twitch sent it.
        public var timestamp: TwitchTimestamp
        /// The message type header.
        public var messageType: String
    }

    /// Why a delivery is refused (answered 403, nothing processed).
    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        /// The kind of refusal.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable {
                case missingHeader = "missing_header"
                case badSignature = "bad_signature"
                case staleTimestamp = "stale_timestamp"
            }

            private let base: Base
            private init(_ base: Base) { self.base = base }

            /// A `Twitch-Eventsub-Message-*` header is missing.
            public static var missingHeader: Self { .init(.missingHeader) }
            /// The HMAC does not match (WH-2).
            public static var badSignature: Self { .init(.badSignature) }
            /// The timestamp is unreadable or outside the 10-minute window (ES-13).
            public static var staleTimestamp: Self { .init(.staleTimestamp) }

            /// The code as text, e.g. `missing_header`.
            public var description: String { self.base.rawValue }
        }

        /// The kind of refusal.
        public let code: Code
        /// What was wrong; never includes the secret, the signature or the body.
        public let message: String

        /// `code: message`.
        public var description: String { "\(self.code): \(self.message)" }
    }

    /// The secret's bytes (a `SymmetricKey` is not `Sendable`; one is made per check).
    private let secret: [UInt8]

    /// Creates the checker for the subscription secret (`EVENTSUB_WEBHOOK_SECRET`, 10–100 ASCII characters).
    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// Checks the signature over the raw body (WH-2) and the timestamp's age (ES-13).
    /// - Parameters:
    ///   - headers: The delivery's `Twitch-Eventsub-Message-*` headers.
    ///   - body: The raw body bytes, exactly as received (re-serialised JSON would not match).
    ///   - now: The current time.
    /// - Throws: ``Rejection``.
    public func verify(_ headers: Headers, body: [UInt8], now: TwitchTimestamp) throws(Rejection) -> Verified {
        guard let messageID = headers.messageID, let timestampText = headers.timestamp, let signature = headers.signature,
            let messageType = headers.messageType
        else {
            throw Rejection(code: .missingHeader, message: "a Twitch-Eventsub-Message-Id, -Timestamp, -Signature or -Type header is missing")
        }
        var signed = Array(messageID.utf8)
        signed += Array(timestampText.utf8)
        signed += body
        let expected = "sha256=" + Self.hex(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: self.secret)))
        guard ConstantTime.equals(Array(expected.utf8), Array(signature.utf8)) else {
            throw Rejection(code: .badSignature, message: "the signature does not match the body")
        }
        guard let timestamp = TwitchTimestamp(rfc3339: timestampText),
            abs(now.secondsSince1970 - timestamp.secondsSince1970) <= EventSubReplayGuard.window
        else {
            throw Rejection(code: .staleTimestamp, message: "the message timestamp is unreadable or more than 10 minutes away")
        }
        return Verified(messageID: messageID, timestamp: timestamp, messageType: messageType)
    }

    /// The `challenge` of a `webhook_callback_verification` body, to be answered as the whole response body (WH-3).
    public static func challenge(in body: [UInt8]) throws(EventSubDecodingError) -> String {
        struct Verification: Decodable {
            let challenge: String
        }
        do {
            return try JSONDecoder().decode(Verification.self, from: Data(body)).challenge
        } catch {
            throw EventSubDecodingError(.missingField, "a verification body needs a challenge string")
        }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
