/// Left-aligned text columns separated by two spaces, trailing spaces trimmed.
public enum TextTable {
    /// Renders a header row and data rows; a short row is padded with empty cells.
    /// - Parameters:
    ///   - header: the column titles.
    ///   - rows: the cells, one array per row.
    public static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows.map { row in row + Array(repeating: "", count: max(0, header.count - row.count)) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.prefix(header.count).enumerated() {
                if column > 0 { line += "  " }
                line += Self.pad(cell, to: widths[column])
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// `text` followed by spaces up to `width` characters.
    /// - Parameters:
    ///   - text: the text.
    ///   - width: the width in characters.
    public static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Spaces then `text`, up to `width` characters.
    /// - Parameters:
    ///   - text: the text.
    ///   - width: the width in characters.
    public static func padLeft(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
