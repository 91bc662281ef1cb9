import ArgumentParser
import GMClient

/// `tumulte poll …`: start, show, list, end and cancel polls through the GM API.
struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Start, show, list, end and cancel polls (a client of the daemon's GM API).",
        subcommands: [Start.self, Show.self, List.self, End.self, Cancel.self]
    )

    /// How votes are read, as `--mode` accepts it.
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case auto, chat, native
    }

    /// The vote rule, as `--rule` accepts it.
    enum Rule: String, ExpressibleByArgument, CaseIterable {
        case unique, standard
    }

    /// A poll status, as `poll list --status` accepts it.
    enum Status: String, ExpressibleByArgument, CaseIterable {
        case running, ending, ended, cancelled
    }

    /// `tumulte poll start --title T --option A --option B --channel c1 …`: starts a poll and prints it.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a poll in one or more channels and print it.",
            discussion: "Viewers vote with !1, !2 … in chat (or in the native Twitch poll with --mode native or auto). "
                + "The daemon checks the values and answers with one line per bad field."
        )

        @OptionGroup var gm: GMOptions

        @Option(help: "The question (1 to 60 characters).")
        var title: String

        @Option(name: .customLong("option"), help: ArgumentHelp("An answer (1 to 25 characters); give 2 to 5, in order.", valueName: "label"))
        var options: [String] = []

        @Option(name: .customLong("channel"), help: ArgumentHelp("A channel login to run the poll in; repeat for several.", valueName: "login"))
        var channels: [String] = []

        @Option(help: ArgumentHelp("Voting time in seconds, 15 to 1800 (daemon default 60).", valueName: "seconds"))
        var duration: Int?

        @Option(help: "auto (native where a Twitch account is linked, chat elsewhere), chat or native (daemon default auto).")
        var mode: Mode?

        @Option(help: "unique (one vote per viewer across all channels; the newest counts) or standard (daemon default unique).")
        var rule: Rule?

        @Option(help: ArgumentHelp("A key that makes a retry of this exact request safe (1 to 200 printable characters).", valueName: "key"))
        var idempotencyKey: String?

        func validate() throws {
            guard !self.channels.isEmpty else { throw ValidationError("give at least one --channel") }
            if let key = self.idempotencyKey {
                guard (1...200).contains(key.count), key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
                    throw ValidationError("--idempotency-key must be 1 to 200 printable ASCII characters")
                }
            }
        }

        func run() async throws {
            let gm = self.gm
            let key = self.idempotencyKey
            let draft = PollDraft(
                title: self.title,
                options: self.options,
                durationSeconds: self.duration,
                channels: self.channels,
                mode: self.mode?.rawValue,
                voteRule: self.rule?.rawValue
            )
            try await gm.run { client throws(GMClientError) in
                let response = try await client.startPoll(draft, idempotencyKey: key)
                try gm.output(response) { () throws(GMClientError) in
                    let text = PollPrinter.render(try response.value())
                    return response.replayed ? "Already started with this idempotency key:\n\n" + text : text
                }
            }
        }
    }

    /// `tumulte poll show ID`: a poll with its live or final tally.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a poll with its live (running) or final tally.")

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("The poll id.", valueName: "id"))
        var id: String

        func validate() throws {
            try GMArguments.requireNonEmpty(self.id, "the poll id")
        }

        func run() async throws {
            let gm = self.gm
            let id = self.id
            try await gm.run { client throws(GMClientError) in
                let response = try await client.poll(id: id)
                try gm.output(response) { () throws(GMClientError) in PollPrinter.render(try response.value()) }
            }
        }
    }

    /// `tumulte poll list [--status S] [--limit N] [--cursor C]`: one page of polls, newest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List polls, newest first, one page at a time.")

        @OptionGroup var gm: GMOptions

        @Option(help: "Only polls with this status.")
        var status: Status?

        @Option(help: ArgumentHelp("Polls per page, 1 to 100 (daemon default 20).", valueName: "n"))
        var limit: Int?

        @Option(help: ArgumentHelp("The cursor printed after the previous page.", valueName: "cursor"))
        var cursor: String?

        func validate() throws {
            if let limit = self.limit, !(1...100).contains(limit) {
                throw ValidationError("--limit must be 1 to 100")
            }
        }

        func run() async throws {
            let gm = self.gm
            let (status, limit, cursor) = (self.status?.rawValue, self.limit, self.cursor)
            try await gm.run { client throws(GMClientError) in
                let response = try await client.listPolls(status: status, limit: limit, cursor: cursor)
                try gm.output(response) { () throws(GMClientError) in
                    let page = try response.value()
                    let next = PollPrinter.nextPage(cursor: page.nextCursor, status: status, limit: limit)
                    return [PollPrinter.table(page.polls), next].compactMap(\.self).joined(separator: "\n\n")
                }
            }
        }
    }

    /// `tumulte poll end ID`: ends a running poll now; results are kept.
    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a running poll now and print its final results.")

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("The poll id.", valueName: "id"))
        var id: String

        func validate() throws {
            try GMArguments.requireNonEmpty(self.id, "the poll id")
        }

        func run() async throws {
            let gm = self.gm
            let id = self.id
            try await gm.run { client throws(GMClientError) in
                let response = try await client.endPoll(id: id)
                try gm.output(response) { () throws(GMClientError) in
                    let poll = try response.value()
                    guard response.status == 202 else { return PollPrinter.render(poll) }
                    return PollPrinter.render(poll)
                        + "\n\nThe poll is ending: its final results are still being written. See them with `tumulte poll show \(poll.id)`."
                }
            }
        }
    }

    /// `tumulte poll cancel ID`: cancels a running poll; the tally is kept.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a running poll (its tally is kept, no winner is announced).")

        @OptionGroup var gm: GMOptions

        @Argument(help: ArgumentHelp("The poll id.", valueName: "id"))
        var id: String

        func validate() throws {
            try GMArguments.requireNonEmpty(self.id, "the poll id")
        }

        func run() async throws {
            let gm = self.gm
            let id = self.id
            try await gm.run { client throws(GMClientError) in
                let response = try await client.cancelPoll(id: id)
                try gm.output(response) { () throws(GMClientError) in PollPrinter.render(try response.value()) }
            }
        }
    }
}
