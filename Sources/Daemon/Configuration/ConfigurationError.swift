/// A configuration value that stops start-up: names the variable and what it accepts, in one line.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The exit status for a configuration error (`EX_CONFIG` from sysexits.h).
    public static let exitCode: Int32 = 78

    /// The environment variable at fault, e.g. `PORT`.
    public let variable: String
    /// The one-line explanation, already naming the variable.
    public let message: String

    /// Creates an error for `variable` with a one-line `message` that names it.
    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    /// A value was given but is not acceptable. Secret values are never echoed.
    static func invalid(_ variable: String, value: String, isSecret: Bool, expected: String) -> Self {
        let shown = isSecret ? "the value given" : "\"\(value.prefix(80))\""
        return .init(variable: variable, message: "\(variable): \(shown) is not valid; expected \(expected)")
    }

    /// A required value is missing.
    static func missing(_ variable: String, expected: String) -> Self {
        .init(variable: variable, message: "\(variable) is required; expected \(expected)")
    }

    /// The one-line message.
    public var description: String { self.message }
}
