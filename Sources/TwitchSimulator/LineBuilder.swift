/// Builds one server line straight into UTF-8 bytes: the hot path of bulk chat delivery.
///
/// Callers write the tag section as literals (`"@badge-info="`, `";badges="`, ...) followed by
/// escaped values. Values are escaped byte by byte (IRC-G3; every escaped character is ASCII, so
/// UTF-8 sequences pass through untouched) and parameters lose CR, LF and NUL so no line can be injected.
struct LineBuilder {
    /// The bytes so far.
    private(set) var bytes: [UInt8]
    /// Offset of the line after its tag section.
    private(set) var bodyStart = 0

    /// Creates an empty line.
    /// - Parameter capacity: Expected size in bytes.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a literal.
    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `1` or `0`.
    mutating func append(flag: Bool) {
        bytes.append(flag ? 0x31 : 0x30)
    }

    /// Appends a decimal number.
    mutating func append(number: Int64) {
        bytes.append(contentsOf: String(number).utf8)
    }

    /// Appends a tag value, escaped (IRC-G3).
    mutating func append(escaped value: String) {
        guard !value.isEmpty else { return }
        var value = value
        value.withUTF8 { buffer in
            var clean = true
            for byte in buffer where byte <= 0x5C && LineBuilder.needsEscape(byte) {
                clean = false
                break
            }
            guard !clean else {
                bytes.append(contentsOf: buffer)
                return
            }
            for byte in buffer {
                switch byte {
                case 0x3B: bytes.append(contentsOf: [0x5C, 0x3A])  // ; → \:
                case 0x20: bytes.append(contentsOf: [0x5C, 0x73])  // space → \s
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])  // \ → \\
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])  // CR → \r
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])  // LF → \n
                case 0: break
                default: bytes.append(byte)
                }
            }
        }
    }

    /// Appends text with CR, LF and NUL removed.
    mutating func append(sanitized text: String) {
        var text = text
        text.withUTF8 { buffer in
            var clean = true
            for byte in buffer where byte <= 0x0D && LineBuilder.isLineBreak(byte) {
                clean = false
                break
            }
            guard !clean else {
                bytes.append(contentsOf: buffer)
                return
            }
            for byte in buffer where !LineBuilder.isLineBreak(byte) { bytes.append(byte) }
        }
    }

    /// Appends a login or channel name minus CR, LF, NUL and spaces.
    mutating func append(name: String) {
        var name = name
        name.withUTF8 { buffer in
            for byte in buffer where !LineBuilder.isLineBreak(byte) && byte != 0x20 { bytes.append(byte) }
        }
    }

    /// Ends the tag section (writing the space after it) and starts the body.
    mutating func beginBody() {
        if !bytes.isEmpty { bytes.append(0x20) }
        bodyStart = bytes.count
    }

    /// The finished line, CRLF-terminated.
    /// - Parameter requiresCommands: Whether only `twitch.tv/commands` connections get it.
    mutating func finish(requiresCommands: Bool = false) -> OutgoingLine {
        bytes.append(0x0D)
        bytes.append(0x0A)
        return OutgoingLine(bytes: bytes, bodyStart: bodyStart, requiresCommands: requiresCommands)
    }

    /// CR, LF or NUL.
    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == 0x0D || byte == 0x0A || byte == 0
    }

    /// A byte that tag escaping changes: `;`, space, `\`, CR, LF, NUL.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x3B || byte == 0x20 || byte == 0x5C || byte == 0x0D || byte == 0x0A || byte == 0
    }
}
