/// The body of every GM API error: `{"error":{"code","message","fields"}}`.
public struct APIErrorBody: Decodable, Sendable, Equatable {
    /// The error itself.
    public struct Detail: Decodable, Sendable, Equatable {
        /// A stable machine-readable code, e.g. `validation_failed`.
        public let code: String
        /// A one-line explanation for people.
        public let message: String
        /// One message per bad field (validation and conflicts), e.g. `title` → `must be 1 to 60 characters`.
        public let fields: [String: String]

        /// Creates an error detail.
        /// - Parameters:
        ///   - code: the stable code.
        ///   - message: the one-line explanation.
        ///   - fields: the per-field messages.
        public init(code: String, message: String, fields: [String: String] = [:]) {
            self.code = code
            self.message = message
            self.fields = fields
        }

        private enum CodingKeys: String, CodingKey {
            case code, message, fields
        }

        /// Decodes the detail; a `fields` value that is not a map of strings is ignored rather than failing the whole body.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.code = try container.decode(String.self, forKey: .code)
            self.message = try container.decode(String.self, forKey: .message)
            self.fields = (try? container.decodeIfPresent([String: String].self, forKey: .fields)) ?? [:]
        }
    }

    /// The error.
    public let error: Detail

    /// Wraps an error detail.
    /// - Parameter error: the detail.
    public init(error: Detail) {
        self.error = error
    }
}
