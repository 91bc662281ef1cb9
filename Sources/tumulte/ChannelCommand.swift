import ArgumentParser
import GMClient

/// `tumulte channel …`: add, list and remove streamer channels, and rotate their overlay URLs, through the GM API.
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Add, list and remove channels, and rotate overlay URLs (a client of the daemon's GM API).",
        subcommands: [Add.self, List.self, Remove.self, RotateOverlay.self]
    )

    /// `tumulte channel add LOGIN...`: one request per login; prints each channel with its overlay URL.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register Twitch channels and print their overlay URLs (a channel already there is shown as is).",
            discussion: "With --json, one JSON document is printed per login. An API refusal for one login (e.g. an invalid name) "
                + "is reported and the others are still added; the exit status is then 1."
        )

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("Twitch logins (4 to 25 of a-z, 0-9, _; case does not matter).", valueName: "login"))
        var logins: [String]

        func validate() throws {
            guard !self.logins.isEmpty else { throw ValidationError("give at least one login") }
            for login in self.logins { try GMArguments.requireNonEmpty(login, "a login") }
        }

        func run() async throws {
            let gm = self.gm
            let logins = self.logins
            var refused = false
            try await gm.run { client throws(GMClientError) in
                for login in logins {
                    do throws(GMClientError) {
                        let response = try await client.addChannel(login: login)
                        try gm.output(response) { () throws(GMClientError) in
                            ChannelPrinter.added(try response.value(), created: response.status == 201)
                        }
                    } catch let error where error.code == .rejected && error.exitCode == GMExitCode.failure {
                        // Only this login was refused (e.g. 422); the next ones may be fine. Auth and transport errors stop.
                        gm.report(
                            GMClientError(
                                error.code,
                                "\(login): \(error.message)",
                                status: error.status,
                                apiError: error.apiError,
                                body: error.body,
                                retryAfter: error.retryAfter
                            )
                        )
                        refused = true
                    }
                }
            }
            if refused { throw ExitCode(GMExitCode.failure) }
        }
    }

    /// `tumulte channel list`: a table of login, connected and overlay URL.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the channels: login, whether a Twitch account is linked, overlay URL.")

        @OptionGroup var gm: GMOptions

        func run() async throws {
            let gm = self.gm
            try await gm.run { client throws(GMClientError) in
                let response = try await client.listChannels()
                try gm.output(response) { () throws(GMClientError) in ChannelPrinter.table(try response.value().channels) }
            }
        }
    }

    /// `tumulte channel remove LOGIN`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a channel; its past results stay, and a running poll using it counts until it ends."
        )

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("The Twitch login.", valueName: "login"))
        var login: String

        func validate() throws {
            try GMArguments.requireNonEmpty(self.login, "the login")
        }

        func run() async throws {
            let gm = self.gm
            let login = self.login
            try await gm.run { client throws(GMClientError) in
                let response = try await client.removeChannel(login: login)
                try gm.output(response) { ChannelPrinter.removed(login.lowercased()) }
            }
        }
    }

    /// `tumulte channel rotate-overlay LOGIN`: prints the new overlay URL; the old one stops working.
    struct RotateOverlay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-overlay",
            abstract: "Give a channel a new overlay URL; the old one stops working at once."
        )

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("The Twitch login.", valueName: "login"))
        var login: String

        func validate() throws {
            try GMArguments.requireNonEmpty(self.login, "the login")
        }

        func run() async throws {
            let gm = self.gm
            let login = self.login
            try await gm.run { client throws(GMClientError) in
                let response = try await client.rotateOverlay(login: login)
                try gm.output(response) { () throws(GMClientError) in ChannelPrinter.rotated(try response.value()) }
            }
        }
    }
}
