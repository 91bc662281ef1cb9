import ArgumentParser
import Foundation
import GMClient

/// The options of every GM API command (`channel …`, `poll …`): where the daemon is, the key, and the output format.
///
/// These commands are plain HTTP clients: they never read the daemon's configuration, database or `APP_KEY`.
struct GMOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's base URL (default: $TUMULTE_URL, else \(GMServer.defaultURL)).", valueName: "url"))
    var url: String?

    @Option(
        help: ArgumentHelp(
            "A GM API key from `tumulte apikey create` (default: $TUMULTE_API_KEY, which is safer: arguments show in `ps`).",
            valueName: "key"
        )
    )
    var apiKey: String?

    @Flag(help: "Print the API's JSON answer as-is, for scripts (an error's JSON body goes to standard error).")
    var json = false

    /// Resolves the server from the options and the environment, then runs `body` with a client; every failure is printed
    /// on standard error and becomes the matching exit status (1, 64, 69 or 77).
    func run(_ body: (GMAPIClient) async throws(GMClientError) -> Void) async throws {
        do {
            let server = try GMServer.resolve(url: self.url, apiKey: self.apiKey, environment: ProcessInfo.processInfo.environment)
            try await GMAPIClient.withClient(server: server) { client in try await body(client) }
        } catch let error as GMClientError {
            self.report(error)
            throw ExitCode(error.exitCode)
        }
    }

    /// Writes an error to standard error: the API's JSON body as-is under `--json`, else the human text.
    func report(_ error: GMClientError) {
        if self.json, let body = error.body, !body.isEmpty {
            Self.writeError(body.hasSuffix("\n") ? body : body + "\n")
        } else {
            Self.writeError(ErrorPrinter.render(error) + "\n")
        }
    }

    /// Prints an answer: its body as-is under `--json`, else the human text.
    func output(_ response: GMResponse<some Decodable & Sendable>, human: () throws(GMClientError) -> String) throws(GMClientError) {
        if self.json {
            let text = response.text
            if !text.isEmpty { print(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        } else {
            print(try human())
        }
    }

    /// Writes text to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Checks for the arguments that name a channel or a poll: an empty one is a usage error.
enum GMArguments {
    /// Throws a validation error (exit 64) when `value` is empty or blank.
    static func requireNonEmpty(_ value: String, _ what: String) throws {
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("\(what) must not be empty")
        }
    }
}
