/// A small seeded pseudo-random generator (SplitMix64), so repeated deliveries are reproducible.
struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; advanced by every draw.
    private var state: UInt64

    /// Creates a generator from a seed.
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform value in `0..<1`.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
