/// Redis key names of one poll; all share the hash tag `{poll:<id>}`.
struct TallyKeys: Sendable {
    let meta: String
    let seen: String
    let voters: String
    let messages: String
    let counts: String

    init(prefix: String, pollID: String) {
        let base = "\(prefix):{poll:\(pollID)}"
        self.meta = base + ":meta"
        self.seen = base + ":seen"
        self.voters = base + ":voters"
        self.messages = base + ":messages"
        self.counts = base + ":counts"
    }

    /// In the order the scripts expect them.
    var all: [String] { [self.meta, self.seen, self.voters, self.messages, self.counts] }
}
