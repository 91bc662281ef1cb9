import PostgresNIO

/// Whether an error means PostgreSQL is unreachable or unavailable (retry later, answer 503) rather than that it
/// refused a query: no connection, a timeout, or a server that is shutting down, starting up or out of resources
/// (SQLSTATE classes 08, 53 and 57P).
func isDatabaseOutage(_ error: any Error) -> Bool {
    if error is TimeoutError { return true }
    guard let error = error as? PSQLError else { return false }
    guard error.code == .server else { return true }
    let state = error.serverInfo?[.sqlState] ?? ""
    return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
}
