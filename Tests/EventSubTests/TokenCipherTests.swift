import EventSub
import Foundation
import Testing

/// Tokens at rest: AES-GCM under a key derived from the application key, bound to their row and field, readable
/// with previous keys during a rotation.
@Suite struct TokenCipherTests {
    static let key = Array(repeating: UInt8(7), count: 32)
    static let newKey = (0..<32).map { UInt8($0) }
    static let token = "oauth-access-9f2c1d7e"

    @Test func aSealedTokenOpensAndHidesItsText() throws {
        let cipher = TokenCipher(current: Self.key)
        let sealed = try cipher.seal(Self.token, row: "r1", field: "access_token")
        #expect(sealed.keyID == TokenCipher.keyID(of: Self.key))
        #expect(sealed.keyID.count == 8)
        // Format byte, 12-byte nonce, the token's bytes, 16-byte tag.
        #expect(sealed.bytes.count == 1 + 12 + Self.token.utf8.count + 16)
        #expect(Data(sealed.bytes).range(of: Data(Self.token.utf8)) == nil)
        #expect(try cipher.open(sealed, row: "r1", field: "access_token") == Self.token)
    }

    @Test func everySealUsesAFreshNonce() throws {
        let cipher = TokenCipher(current: Self.key)
        let seals = try (0..<100).map { _ in try cipher.seal(Self.token, row: "r1", field: "access_token").bytes }
        #expect(Set(seals.map { Array($0[1..<13]) }).count == 100)
    }

    @Test func aChangedByteOrAMovedTokenDoesNotOpen() throws {
        let cipher = TokenCipher(current: Self.key)
        let sealed = try cipher.seal(Self.token, row: "r1", field: "access_token")
        for index in [1, 13, sealed.bytes.count - 1] {
            var altered = sealed
            altered.bytes[index] ^= 0x01
            #expect(throws: TokenCipherError(.tampered, "the sealed token does not authenticate for access_token of r1")) {
                try cipher.open(altered, row: "r1", field: "access_token")
            }
        }
        #expect(throws: TokenCipherError.self) { try cipher.open(sealed, row: "r2", field: "access_token") }
        #expect(throws: TokenCipherError.self) { try cipher.open(sealed, row: "r1", field: "refresh_token") }
        var truncated = sealed
        truncated.bytes = Array(sealed.bytes.prefix(20))
        let error = #expect(throws: TokenCipherError.self) { try cipher.open(truncated, row: "r1", field: "access_token") }
        #expect(error?.code == .malformed)
    }

    @Test func aPreviousKeyOpensButOnlyTheCurrentOneSeals() throws {
        let old = TokenCipher(current: Self.key)
        let sealed = try old.seal(Self.token, row: "r1", field: "access_token")
        let rotating = TokenCipher(current: Self.newKey, previous: [Self.key])
        #expect(try rotating.open(sealed, row: "r1", field: "access_token") == Self.token)
        #expect(try rotating.seal(Self.token, row: "r1", field: "access_token").keyID == TokenCipher.keyID(of: Self.newKey))
        let forgetful = TokenCipher(current: Self.newKey)
        let error = #expect(throws: TokenCipherError.self) { try forgetful.open(sealed, row: "r1", field: "access_token") }
        #expect(error?.code == .unknownKey)
        #expect(error?.description.contains(Self.token) == false)
    }

    @Test func tokensNeverShowInTheirDescription() {
        let tokens = TwitchTokens(accessToken: Self.token, refreshToken: "refresh-secret", scopes: ["channel:read:polls"], expiresAt: nil)
        #expect(!"\(tokens)".contains(Self.token) && !"\(tokens)".contains("refresh-secret"))
        #expect(tokens.grants(["channel:read:polls"]) && !tokens.grants(["channel:manage:polls"]))
    }
}
