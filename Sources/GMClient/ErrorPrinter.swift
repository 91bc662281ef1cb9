/// The human text of a ``GMClientError``, written to standard error by the commands.
public enum ErrorPrinter {
    /// `error: <message>`, then one indented line per field (sorted by name), then a hint where one helps.
    /// - Parameter error: the error.
    public static func render(_ error: GMClientError) -> String {
        var lines = ["error: \(error.message)"]
        if let fields = error.apiError?.fields {
            for name in fields.keys.sorted() {
                lines.append("  \(name): \(fields[name] ?? "")")
            }
        }
        switch error.status {
        case 401:
            lines.append("hint: the daemon did not accept the API key; check --api-key or TUMULTE_API_KEY")
        case 403:
            lines.append("hint: the API key was revoked; create a new one with `tumulte apikey create --name NAME`")
        case 429:
            lines.append("hint: too many requests; retry after \(error.retryAfter.map { "\($0) s" } ?? "a while")")
        default:
            break
        }
        return lines.joined(separator: "\n")
    }
}
