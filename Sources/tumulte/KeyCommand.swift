import ArgumentParser
import Daemon
import EventSub
import Foundation
import Storage

/// `tumulte key …`: application key tools.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Application key tools.",
        subcommands: [Generate.self, Rotate.self]
    )

    /// `tumulte key generate`: prints a fresh APP_KEY.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a fresh APP_KEY (32 random bytes, base64)."
        )

        func run() {
            print(AppKey.generate().text)
        }
    }

    /// `tumulte key rotate`: re-seals the stored Twitch tokens under the current APP_KEY.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt the stored Twitch tokens under APP_KEY.",
            discussion: """
                To change the application key: set APP_KEY to a new key (tumulte key generate) and APP_PREVIOUS_KEYS \
                to the old one, restart the daemons, run `tumulte key rotate`, then remove APP_PREVIOUS_KEYS. Overlay \
                URLs derive from APP_KEY too, so they change with it. Exits 1 if some tokens could not be opened with \
                either variable (those channels must connect their Twitch account again).
                """
        )

        @Argument(parsing: .allUnrecognized, help: .hidden)
        var settings: [String] = []

        func run() async throws {
            let environment = try await CommandEnvironment.load(settings: self.settings)
            try await environment.runReportingErrors {
                guard let key = environment.configuration.appKey else { throw ExitCode.failure }
                let cipher = TwitchTokenVault.cipher(current: key, previous: environment.configuration.previousAppKeys)
                let rotation = try await environment.withDatabase { client in
                    try await TwitchTokenVault(cipher: cipher, store: TwitchTokenStore(client: client, logger: environment.logger)).rotate()
                }
                print("Re-encrypted \(rotation.resealed) channel token(s) under key \(cipher.currentKeyID).")
                if rotation.changedMeanwhile > 0 {
                    print("\(rotation.changedMeanwhile) were refreshed meanwhile and are already under it.")
                }
                let unreadable = rotation.unreadable.values.reduce(0, +)
                if unreadable > 0 {
                    let reasons = rotation.unreadable.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    FileHandle.standardError.write(
                        Data(
                            "tumulte: \(unreadable) channel token(s) could not be opened (\(reasons)); add the key that sealed them to APP_PREVIOUS_KEYS and run again, or reconnect those channels\n"
                                .utf8
                        )
                    )
                    throw ExitCode.failure
                }
            }
        }
    }
}
