import TwitchSimulator

/// Simulated viewers: who says what in which channel, tick after tick.
///
/// While a poll runs about half of the messages are votes in the three forms viewers use (`!2`, `2`, `!vote 2`),
/// some of them changing an earlier vote; the rest is chatter, `/me` actions and replies. Each poll gets its own
/// taste (some options are favourites), so results differ from poll to poll.
struct DemoAudience {
    /// The poll the audience votes in.
    struct Poll: Sendable {
        /// How many options it has.
        let optionCount: Int
        /// How much viewers like each option (relative weights).
        let weights: [Double]
    }

    /// One viewer.
    private struct Viewer {
        let id: String
        let login: String
    }

    /// A vote in a channel's native Twitch poll: a click, plus extra votes bought with channel points now and then.
    struct NativeVote: Sendable {
        let channel: String
        let option: Int
        let channelPoints: Int
    }

    private let viewers: [Viewer]
    private let channels: [String]
    /// Channels running Twitch's own poll: their viewers click instead of typing `!2`, once per poll.
    private let nativeChannels: Set<String>
    /// The option each viewer voted for last in the current poll.
    private var votes: [Int: Int] = [:]
    /// The last message of each channel, for replies.
    private var recent: [String: SimulatedMessage] = [:]
    private var generator = SystemRandomNumberGenerator()

    /// Creates `count` viewers (at least one) chatting in `channels`, of which `nativeChannels` run native polls.
    init(count: Int, channels: [String], nativeChannels: Set<String> = []) {
        self.nativeChannels = nativeChannels
        self.viewers = (0..<max(1, count)).map { index in
            let adjective = DemoScript.adjectives[index % DemoScript.adjectives.count]
            let creature = DemoScript.creatures[(index / DemoScript.adjectives.count) % DemoScript.creatures.count]
            return Viewer(id: "\(700_000_000 + index)", login: "\(adjective)_\(creature)_\(index)")
        }
        self.channels = channels
    }

    /// A fresh taste for a new poll of `optionCount` options; forgets the votes of the previous one.
    mutating func newPoll(optionCount: Int) -> Poll {
        self.votes.removeAll(keepingCapacity: true)
        let weights = (0..<optionCount).map { _ in
            let base = Double.random(in: 0.2...1.0, using: &self.generator)
            return base * base
        }
        return Poll(optionCount: optionCount, weights: weights)
    }

    /// The next `count` messages, votes included while `poll` runs: chat lines, and clicks in native polls.
    mutating func messages(_ count: Int, poll: Poll?) -> (chat: [(channel: String, message: SimulatedMessage)], native: [NativeVote]) {
        var chat: [(channel: String, message: SimulatedMessage)] = []
        var native: [NativeVote] = []
        for _ in 0..<count {
            switch self.message(poll: poll) {
            case .chat(let channel, let message): chat.append((channel, message))
            case .native(let vote): native.append(vote)
            }
        }
        return (chat, native)
    }

    private enum Action {
        case chat(String, SimulatedMessage)
        case native(NativeVote)
    }

    private mutating func message(poll: Poll?) -> Action {
        let index = Int.random(in: 0..<self.viewers.count, using: &self.generator)
        let viewer = self.viewers[index]
        let channel = self.channels.randomElement(using: &self.generator) ?? ""
        let roll = Double.random(in: 0..<1, using: &self.generator)
        var message: SimulatedMessage
        if let poll, roll < 0.55, self.nativeChannels.contains(channel), self.votes[index] == nil {
            // A click in Twitch's poll widget: one per viewer, sometimes with channel points on top.
            let option = self.pick(poll.weights)
            self.votes[index] = option
            let paid = Int.random(in: 0..<10, using: &self.generator) == 0 ? Int.random(in: 1...5, using: &self.generator) : 0
            return .native(NativeVote(channel: channel, option: option, channelPoints: paid))
        } else if let poll, roll < 0.55, !self.nativeChannels.contains(channel) {
            message = SimulatedMessage(userID: viewer.id, login: viewer.login, text: self.vote(by: index, in: poll))
        } else if roll < 0.65 {
            let action = DemoScript.actions.randomElement(using: &self.generator) ?? ""
            message = SimulatedMessage(userID: viewer.id, login: viewer.login, text: action, isAction: true)
        } else if roll < 0.75, let parent = self.recent[channel], parent.userID != viewer.id {
            let text = DemoScript.replies.randomElement(using: &self.generator) ?? ""
            let reply = SimulatedMessage.Reply(messageID: parent.id, userID: parent.userID, login: parent.login, body: parent.text)
            message = SimulatedMessage(userID: viewer.id, login: viewer.login, text: text, reply: reply)
        } else {
            message = SimulatedMessage(userID: viewer.id, login: viewer.login, text: DemoScript.chatter.randomElement(using: &self.generator) ?? "")
        }
        self.recent[channel] = message
        return .chat(channel, message)
    }

    /// A vote by viewer `index`: mostly their favourite, sometimes a change of mind.
    private mutating func vote(by index: Int, in poll: Poll) -> String {
        let option: Int
        if let earlier = self.votes[index], Double.random(in: 0..<1, using: &self.generator) < 0.6 {
            option = earlier
        } else {
            option = self.pick(poll.weights)
        }
        self.votes[index] = option
        let number = option + 1
        switch Int.random(in: 0..<20, using: &self.generator) {
        case 0..<12: return "!\(number)"
        case 12..<17: return "\(number)"
        default: return "!vote \(number)"
        }
    }

    private mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var point = Double.random(in: 0..<max(total, .leastNonzeroMagnitude), using: &self.generator)
        for (index, weight) in weights.enumerated() {
            if point < weight { return index }
            point -= weight
        }
        return max(0, weights.count - 1)
    }
}
