import Crypto
import Foundation

/// The application key: 32 random bytes that encrypt Twitch tokens at rest and sign OAuth state.
public struct AppKey: Sendable, Equatable {
    /// The key length in bytes.
    public static let byteCount = 32

    /// The raw key bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses the base64 text form (an optional `base64:` prefix is accepted); nil unless it decodes to 32 bytes.
    public init?(text: String) {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("base64:") { text.removeFirst("base64:".count) }
        guard let data = Data(base64Encoded: text) else { return nil }
        self.init(bytes: Array(data))
    }

    /// A fresh key from the system's secure random generator.
    public static func generate() -> AppKey {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { AppKey(bytes: Array($0))! }
    }

    /// The base64 text form, as `APP_KEY` takes it.
    public var text: String { Data(self.bytes).base64EncodedString() }
}

extension AppKey {
    /// Reads the development key kept in `directory/app.key`, creating it (mode 0600) on first use.
    /// - Parameter directory: The local data folder.
    /// - Returns: The key and whether it was created now.
    static func loadOrCreateDevelopmentKey(in directory: String) throws -> (key: AppKey, created: Bool) {
        let path = (directory as NSString).appendingPathComponent("app.key")
        let manager = FileManager.default
        if let data = manager.contents(atPath: path) {
            guard let text = String(data: data, encoding: .utf8), let key = AppKey(text: text) else {
                throw ConfigurationError(
                    variable: "APP_KEY",
                    message: "APP_KEY is not set and \(path) does not hold a valid key; delete it or set APP_KEY (tumulte key generate)"
                )
            }
            return (key, false)
        }
        let key = AppKey.generate()
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard manager.createFile(atPath: path, contents: Data((key.text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            throw ConfigurationError(
                variable: "APP_KEY",
                message: "APP_KEY is not set and the development key could not be written to \(path); set APP_KEY (tumulte key generate)"
            )
        }
        return (key, true)
    }
}
