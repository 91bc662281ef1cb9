/// Comparisons whose duration does not depend on where two secrets differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte of the longer one whatever the contents.
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        var difference = UInt64(a.count ^ b.count)
        var left = a.makeIterator()
        var right = b.makeIterator()
        for _ in 0..<max(a.count, b.count) {
            difference |= UInt64((left.next() ?? 0) ^ (right.next() ?? 0))
        }
        return difference == 0
    }

    /// Whether two strings have the same UTF-8 bytes, in constant time for a given length.
    public static func equals(_ a: String, _ b: String) -> Bool {
        Self.equals(Array(a.utf8), Array(b.utf8))
    }
}
