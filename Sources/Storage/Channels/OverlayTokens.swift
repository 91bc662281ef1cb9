public import Crypto
public import Foundation

/// Overlay tokens: 128-bit values derived as HMAC-SHA256(application key, nonce), so the daemon can show a
/// channel's overlay URL again while the database holds only the nonce and the token's SHA-256.
///
/// Someone who reads the database cannot rebuild a token without the application key; rotating the nonce revokes it.
public struct OverlayTokens: Sendable {
    private let keyBytes: [UInt8]

    /// Creates the derivation from the application key's bytes.
    public init(applicationKey: [UInt8]) {
        // A dedicated sub-key keeps overlay tokens independent of every other use of the application key.
        let mac = HMAC<SHA256>.authenticationCode(for: Data("tumulte overlay tokens v1".utf8), using: SymmetricKey(data: applicationKey))
        self.keyBytes = Array(mac)
    }

    /// A fresh random nonce.
    public static func newNonce() -> Data {
        Data(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
    }

    /// The token of `nonce`: 16 bytes of HMAC as base64url without padding (22 characters).
    public func token(nonce: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: nonce, using: SymmetricKey(data: self.keyBytes))
        return Data(Array(mac).prefix(16)).base64URLEncoded
    }

    /// The SHA-256 under which a token is stored and looked up.
    public static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// Whether `text` has the shape of a token (22 base64url characters), checked before any lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 22
            && text.utf8.allSatisfy {
                (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }
}

extension Data {
    /// Base64url without padding.
    var base64URLEncoded: String {
        self.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
