import Crypto
import Foundation

/// Generation and hashing of API key texts: `tml_` plus 32 random bytes in unpadded base64url.
enum APIKeySecret {
    /// The prefix of every key, so a leaked key is recognisable.
    static let prefix = "tml_"
    /// The number of random bytes in a key (256 bits).
    static let randomByteCount = 32
    /// The longest text worth hashing; anything longer is not a key.
    static let maximumLength = 256

    /// A fresh key text from the system's cryptographic generator.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.randomByteCount)
        while bytes.count < self.randomByteCount {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return self.prefix + base64
    }

    /// The SHA-256 of the key's UTF-8 bytes, as stored in `api_keys.key_hash`.
    static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// Whether `text` has the shape of a key (prefix, length); cheap rejection before any lookup.
    static func isWellFormed(_ text: String) -> Bool {
        text.hasPrefix(self.prefix) && text.utf8.count <= self.maximumLength
    }
}
