import ArgumentParser
import Daemon
import Foundation
import PostgresNIO
import Storage

/// `tumulte apikey …`: create, list and revoke the API keys of the GM API.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Create, list and revoke API keys for the GM API.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `tumulte apikey create --name NAME`: prints a new key once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key and print it (it is shown only once).")

        @Option(help: "A name for the key (1 to 100 characters), e.g. who or what uses it.")
        var name: String

        @Flag(help: "Print {\"id\",\"name\",\"key\"} as JSON.")
        var json = false

        @Argument(parsing: .allUnrecognized, help: .hidden)
        var settings: [String] = []

        func run() async throws {
            let environment = try await CommandEnvironment.load(settings: self.settings)
            try await environment.runReportingErrors {
                let name = self.name
                let created = try await APIKeyCommand.reportingStorageErrors {
                    try await environment.withDatabase { client in
                        try await APIKeyStore(client: client, logger: environment.logger).create(name: name)
                    }
                }
                if self.json {
                    struct Output: Encodable {
                        let id: String
                        let name: String
                        let key: String
                    }
                    let output = Output(id: created.id.uuidString.lowercased(), name: created.record.name, key: created.key)
                    print(try APIKeyCommand.json(output))
                } else {
                    print("Created API key \(created.record.name) (\(created.id.uuidString.lowercased())):")
                    print("")
                    print("    \(created.key)")
                    print("")
                    print("Store it now: it will not be shown again.")
                }
            }
        }
    }

    /// `tumulte apikey list`: every key, never the key texts.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the API keys (never the keys themselves).")

        @Flag(help: "Print a JSON array of {\"id\",\"name\",\"createdAt\",\"lastUsedAt\",\"revokedAt\"}.")
        var json = false

        @Argument(parsing: .allUnrecognized, help: .hidden)
        var settings: [String] = []

        func run() async throws {
            let environment = try await CommandEnvironment.load(settings: self.settings)
            try await environment.runReportingErrors {
                let records = try await environment.withDatabase { client in
                    try await APIKeyStore(client: client, logger: environment.logger).list()
                }
                if self.json {
                    print(try APIKeyCommand.json(records.map(KeyOutput.init)))
                } else {
                    print(APIKeyCommand.table(records))
                }
            }
        }
    }

    /// `tumulte apikey revoke <id-or-name>`: revokes a key (idempotent).
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by id or name; requests with it then get 403.")

        @Argument(help: "The key's id, or its name when only one unrevoked key has it.")
        var key: String

        @Argument(parsing: .allUnrecognized, help: .hidden)
        var settings: [String] = []

        func run() async throws {
            let environment = try await CommandEnvironment.load(settings: self.settings)
            try await environment.runReportingErrors {
                let key = self.key
                let record = try await APIKeyCommand.reportingStorageErrors {
                    try await environment.withDatabase { client in
                        try await APIKeyStore(client: client, logger: environment.logger).revoke(idOrName: key)
                    }
                }
                let when = record.revokedAt.map { $0.formatted(.iso8601) } ?? "now"
                print("Revoked API key \(record.name) (\(record.id.uuidString.lowercased())) at \(when).")
            }
        }
    }

    /// One key in `list --json`: absent dates are `null`.
    struct KeyOutput: Encodable {
        let record: APIKeyRecord

        enum CodingKeys: String, CodingKey {
            case id, name, createdAt, lastUsedAt, revokedAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.record.id.uuidString.lowercased(), forKey: .id)
            try container.encode(self.record.name, forKey: .name)
            try container.encode(self.record.createdAt, forKey: .createdAt)
            try container.encode(self.record.lastUsedAt, forKey: .lastUsedAt)
            try container.encode(self.record.revokedAt, forKey: .revokedAt)
        }
    }

    /// Sorted-key JSON with ISO 8601 dates.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The keys as an aligned text table.
    static func table(_ records: [APIKeyRecord]) -> String {
        guard !records.isEmpty else { return "No API keys. Create one with `tumulte apikey create --name NAME`." }
        let header = ["ID", "NAME", "CREATED", "LAST USED", "REVOKED"]
        let rows = records.map { record in
            [
                record.id.uuidString.lowercased(), record.name, record.createdAt.formatted(.iso8601),
                record.lastUsedAt?.formatted(.iso8601) ?? "never", record.revokedAt?.formatted(.iso8601) ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// The storage errors caused by what the operator typed rather than by the system.
    static let userErrors: Set<StorageError.Code> = [.apiKeyNotFound, .apiKeyNameAmbiguous, .invalidAPIKeyName]

    /// Runs `body`, turning an API key lookup failure (unknown, ambiguous, bad name) into one line and exit status 1.
    static func reportingStorageErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StorageError where Self.userErrors.contains(error.code) {
            FileHandle.standardError.write(Data("tumulte: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
