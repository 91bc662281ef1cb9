/// Byte offsets of the parts of one IRC line, found in a single left-to-right scan (IRC-G1).
///
/// Offsets are relative to the first UTF-8 byte of the line. Nothing is copied: the message keeps
/// the line and slices it on demand.
struct IRCLineLayout: Sendable, Hashable {
    /// Why a scan failed.
    enum Failure: Error, Sendable, Hashable {
        /// Nothing but spaces and line terminators.
        case emptyLine
        /// `@` followed by a space.
        case emptyTags
        /// `:` followed by a space.
        case emptyPrefix
        /// Tags and/or prefix but no command.
        case missingCommand
        /// A command that is neither letters nor three digits.
        case invalidCommand
    }

    /// Start of the tag section (after `@`); equal to `tagsEnd` when the line has no tags.
    var tagsStart = 0
    /// End of the tag section (exclusive).
    var tagsEnd = 0
    /// Start of the prefix (after `:`); `-1` when the line has no prefix.
    var prefixStart = -1
    /// End of the prefix (exclusive).
    var prefixEnd = -1
    /// Start of the command.
    var commandStart = 0
    /// End of the command (exclusive).
    var commandEnd = 0
    /// Number of parameters, the trailing one included.
    var paramCount = 0
    /// Start of the first parameter, `-1` when there is none.
    var firstParamStart = -1
    /// End of the first parameter.
    var firstParamEnd = -1
    /// Start of the last parameter (the trailing one when present), `-1` when there is none.
    var lastParamStart = -1
    /// End of the last parameter.
    var lastParamEnd = -1
    /// Whether the last parameter was introduced by ` :` (a trailing parameter, may contain spaces).
    var hasTrailing = false
    /// Where the parameter section starts (just after the command).
    var paramsStart = 0
    /// End of the line, line terminators excluded.
    var end = 0

    /// Whether the line carries an IRCv3 tag section.
    var hasTags: Bool { tagsEnd > tagsStart }

    /// Scans `bytes` (one line; a trailing CR/LF is ignored) and returns its layout or why it is malformed.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<IRCLineLayout, Failure> {
        var layout = IRCLineLayout()
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == ASCII.lf || bytes[end - 1] == ASCII.cr) { end -= 1 }
        layout.end = end
        var index = 0
        while index < end && bytes[index] == ASCII.space { index += 1 }
        guard index < end else { return .failure(.emptyLine) }

        if bytes[index] == ASCII.at {
            let tagsStart = index + 1
            let tagsEnd = bytes.offset(of: ASCII.space, from: tagsStart, to: end)
            guard tagsEnd < end else { return .failure(.missingCommand) }
            guard tagsEnd > tagsStart else { return .failure(.emptyTags) }
            layout.tagsStart = tagsStart
            layout.tagsEnd = tagsEnd
            index = tagsEnd
            while index < end && bytes[index] == ASCII.space { index += 1 }
            guard index < end else { return .failure(.missingCommand) }
        }

        if bytes[index] == ASCII.colon {
            let prefixStart = index + 1
            let prefixEnd = bytes.offset(of: ASCII.space, from: prefixStart, to: end)
            guard prefixEnd > prefixStart else {
                return .failure(prefixEnd < end ? .emptyPrefix : .missingCommand)
            }
            guard prefixEnd < end else { return .failure(.missingCommand) }
            layout.prefixStart = prefixStart
            layout.prefixEnd = prefixEnd
            index = prefixEnd
            while index < end && bytes[index] == ASCII.space { index += 1 }
            guard index < end else { return .failure(.missingCommand) }
        }

        let commandStart = index
        var letters = 0
        var digits = 0
        while index < end {
            let byte = bytes[index]
            if byte == ASCII.space { break }
            if (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) {
                letters += 1
            } else if byte >= ASCII.zero && byte <= ASCII.nine {
                digits += 1
            } else {
                return .failure(.invalidCommand)
            }
            index += 1
        }
        guard (letters > 0 && digits == 0) || (letters == 0 && digits == 3) else {
            return .failure(.invalidCommand)
        }
        layout.commandStart = commandStart
        layout.commandEnd = index
        layout.paramsStart = index

        // Parameters: middle ones end at a space; the first ` :` starts the trailing one, which runs to the end.
        while index < end {
            guard bytes[index] == ASCII.space else { break }
            while index < end && bytes[index] == ASCII.space { index += 1 }
            guard index < end else { break }
            let start: Int
            let stop: Int
            if bytes[index] == ASCII.colon {
                start = index + 1
                stop = end
                layout.hasTrailing = true
            } else {
                start = index
                stop = bytes.offset(of: ASCII.space, from: index, to: end)
            }
            layout.paramCount += 1
            if layout.firstParamStart < 0 {
                layout.firstParamStart = start
                layout.firstParamEnd = stop
            }
            layout.lastParamStart = start
            layout.lastParamEnd = stop
            index = stop
        }
        return .success(layout)
    }
}
