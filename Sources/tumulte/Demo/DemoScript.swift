/// The demo's words: RPG-flavoured questions and what simulated viewers say besides voting.
enum DemoScript {
    /// One question of the built-in list.
    struct Question: Sendable {
        /// The poll title (at most 60 characters).
        let title: String
        /// Its answers (2 to 5, at most 25 characters each).
        let options: [String]
    }

    /// The questions, asked in turn.
    static let questions: [Question] = [
        Question(title: "The dragon offers a deal. Do you…", options: ["Accept", "Refuse", "Attack", "Haggle"]),
        Question(title: "Which path through the Whispering Wood?", options: ["The old road", "Along the river", "Straight through"]),
        Question(title: "Open the cursed chest?", options: ["Open it", "Leave it", "The rogue does it"]),
        Question(title: "Who takes the first watch?", options: ["Fighter", "Wizard", "Cleric", "Rogue", "Nobody"]),
        Question(title: "The innkeeper is hiding something.", options: ["Question him", "Bribe him", "Order more ale"]),
        Question(title: "A goblin surrenders.", options: ["Spare it", "Recruit it", "Interrogate it", "Roll for it"]),
        Question(title: "Cross the rope bridge?", options: ["Cross", "Find another way", "Burn it"]),
        Question(title: "Spend the treasure on…", options: ["Armour", "Potions", "A horse", "A feast"]),
        Question(title: "The lich starts a monologue.", options: ["Listen politely", "Interrupt", "Attack now", "Sneak past"]),
        Question(title: "The bard wants to sing. Let him?", options: ["Yes", "No", "Only one song"]),
    ]

    /// Chat that is not a vote.
    static let chatter = [
        "gg", "LUL", "Kappa", "roll for initiative!", "nat 20!!", "the dragon is RIGHT THERE", "what did the bard do now",
        "I love this campaign", "PogChamp", "classic rogue", "hydrate, adventurers", "that NPC is sus", "F", "omg",
        "is the cleric ok?", "trust the dice", "not the chest again", "5head play",
    ]

    /// `/me` actions.
    static let actions = [
        "rolls a d20… natural 1", "hides behind the bard", "casts Fireball at the chat", "checks for traps",
        "offers the goblin a snack", "sharpens a sword", "takes a long rest",
    ]

    /// Replies to someone else's message.
    static let replies = ["agreed", "no way", "this is the way", "bold move", "lol same", "trust me on this"]

    /// Viewer names are an adjective, a creature and a number.
    static let adjectives = ["brave", "sly", "grumpy", "lucky", "sleepy", "bold", "tiny", "wild", "quiet", "shiny"]
    /// See ``adjectives``.
    static let creatures = ["goblin", "bard", "paladin", "kobold", "owlbear", "wizard", "rogue", "druid", "mimic", "dragon"]
}
