/// An error of the IRC simulator.
public struct IRCSimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The cases.
        private enum Base: Sendable, Hashable {
            /// See `Code.timedOut`.
            case timedOut
        }

        /// The case.
        private let base: Base

        /// A wait did not see its condition before the timeout.
        public static var timedOut: Code { Code(base: .timedOut) }

        /// The code's name.
        public var description: String {
            switch base {
            case .timedOut: "timedOut"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// Details for humans.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Details.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `IRCSimulatorError.<code>: <message>`.
    public var description: String { "IRCSimulatorError.\(code): \(message)" }
}
