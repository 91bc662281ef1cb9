import Foundation
public import Logging

/// A log handler writing one JSON object per line to standard error (`LOG_FORMAT=json`).
public struct JSONLogHandler: LogHandler {
    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Minimum level written.
    public var logLevel: Logger.Level = .info
    private let label: String

    /// Creates a handler for `label`.
    public init(label: String) {
        self.label = label
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "timestamp": Date().formatted(.iso8601.time(includingFractionalSeconds: true).year().month().day()),
            "level": event.level.rawValue,
            "label": self.label,
            "message": "\(event.message)",
        ]
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged {
            object[key] = Self.plain(value)
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(Self.plain)
        case .dictionary(let values): return values.mapValues(Self.plain)
        }
    }
}
