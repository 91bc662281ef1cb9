import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encrypts Twitch tokens for storage: AES-256-GCM under a key derived from the application key, a fresh random
/// nonce per seal, and the row and field the token belongs to as authenticated data, so a sealed token copied into
/// another channel's row, or from the refresh column into the access column, does not open.
///
/// It holds the current key, which seals, and any previous keys, which only open: after `APP_KEY` changes, tokens
/// sealed under the old key stay readable until `tumulte key rotate` has sealed them again under the new one.
public struct TokenCipher: Sendable {
    /// One derived key and its identifier.
    struct Key: Sendable {
        /// The identifier stored beside what the key sealed.
        let id: String
        /// The AES-256 key's bytes (`SymmetricKey` is not `Sendable`).
        let bytes: [UInt8]
        /// The AES-256 key.
        var key: SymmetricKey { SymmetricKey(data: self.bytes) }
    }

    /// The format byte that starts every sealed token (nonce, ciphertext and tag follow).
    static let formatVersion: UInt8 = 1
    /// Label of the key derivation, so the application key's other uses (OAuth state) get unrelated keys.
    private static let derivationInfo = Array("tumulte twitch-token encryption v1".utf8)

    /// The key that seals.
    let current: Key
    /// Every key that opens, by identifier (the current one included).
    private let keys: [String: Key]

    /// Derives the keys from raw application keys (32 bytes each): `current` seals, `previous` only open.
    public init(current: [UInt8], previous: [[UInt8]] = []) {
        self.current = Self.derive(current)
        var keys = [self.current.id: self.current]
        for raw in previous {
            let key = Self.derive(raw)
            keys[key.id] = keys[key.id] ?? key
        }
        self.keys = keys
    }

    /// The identifier of the key that seals, as stored beside each sealed token.
    public var currentKeyID: String { self.current.id }

    /// The identifier `TokenCipher` gives the raw application key `raw`: 8 hex digits of its SHA-256, which say
    /// which key sealed a row without saying anything usable about the key.
    public static func keyID(of raw: [UInt8]) -> String {
        SHA256.hash(data: raw).prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Seals `token` for the field `field` of the row `row` under the current key.
    public func seal(_ token: String, row: String, field: String) throws -> SealedToken {
        let box = try AES.GCM.seal(Array(token.utf8), using: self.current.key, authenticating: Self.context(row: row, field: field))
        guard let combined = box.combined else { throw TokenCipherError(.malformed, "AES-GCM gave no combined form") }
        return SealedToken(keyID: self.current.id, bytes: [Self.formatVersion] + Array(combined))
    }

    /// Opens a token sealed for `field` of `row` by ``seal(_:row:field:)`` under any key this cipher knows.
    public func open(_ sealed: SealedToken, row: String, field: String) throws -> String {
        guard let key = self.keys[sealed.keyID] else {
            throw TokenCipherError(.unknownKey, "sealed under key \(sealed.keyID), which is neither APP_KEY nor in APP_PREVIOUS_KEYS")
        }
        guard sealed.bytes.first == Self.formatVersion, sealed.bytes.count >= 1 + 12 + 16 else {
            throw TokenCipherError(.malformed, "not a sealed token of format \(Self.formatVersion)")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.bytes.dropFirst())
            let plain = try AES.GCM.open(box, using: key.key, authenticating: Self.context(row: row, field: field))
            guard let token = String(validating: plain, as: UTF8.self) else {
                throw TokenCipherError(.malformed, "the opened token is not UTF-8")
            }
            return token
        } catch let error as TokenCipherError {
            throw error
        } catch {
            throw TokenCipherError(.tampered, "the sealed token does not authenticate for \(field) of \(row)")
        }
    }

    /// The authenticated data binding a sealed token to its place.
    private static func context(row: String, field: String) -> [UInt8] {
        Array("twitch_tokens/\(row)/\(field)".utf8)
    }

    /// The AES key for the raw application key `raw`.
    private static func derive(_ raw: [UInt8]) -> Key {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: raw),
            info: Self.derivationInfo,
            outputByteCount: 32
        )
        return Key(id: Self.keyID(of: raw), bytes: key.withUnsafeBytes { Array($0) })
    }
}

/// A token as stored: the identifier of the key that sealed it and the sealed bytes (format byte, nonce,
/// ciphertext, tag). Neither part reveals the token.
public struct SealedToken: Sendable, Hashable {
    /// The identifier of the key that sealed it.
    public var keyID: String
    /// The sealed bytes.
    public var bytes: [UInt8]

    /// Wraps stored parts.
    public init(keyID: String, bytes: [UInt8]) {
        self.keyID = keyID
        self.bytes = bytes
    }
}

/// A sealed token that cannot be opened.
public struct TokenCipherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownKey = "unknown_key"
            case tampered
            case malformed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Sealed under a key that is neither `APP_KEY` nor listed in `APP_PREVIOUS_KEYS`.
        public static var unknownKey: Self { .init(.unknownKey) }
        /// The bytes do not authenticate: changed, or moved from another row or field.
        public static var tampered: Self { .init(.tampered) }
        /// Not in the sealed-token format.
        public static var malformed: Self { .init(.malformed) }

        /// The code as text, e.g. `unknown_key`.
        public var description: String { self.base.rawValue }
    }

    /// Why.
    public let code: Code
    /// Details, never the token.
    public let message: String

    /// Creates the error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }
}
