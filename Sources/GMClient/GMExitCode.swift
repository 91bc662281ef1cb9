/// The exit statuses of the GM commands (`sysexits.h` names where one fits).
public enum GMExitCode {
    /// Success.
    public static let success: Int32 = 0
    /// The API answered but refused or failed the request (4xx other than 401/403, 5xx), or its answer made no sense.
    public static let failure: Int32 = 1
    /// `EX_USAGE`: a bad argument, a bad `--url`, or no API key.
    public static let usage: Int32 = 64
    /// `EX_UNAVAILABLE`: the daemon could not be reached (refused, timed out, unknown host, connection dropped).
    public static let unavailable: Int32 = 69
    /// `EX_NOPERM`: the API key was missing, unknown (401) or revoked (403).
    public static let noPermission: Int32 = 77

    /// The exit status for an HTTP answer: 0 for 2xx, 77 for 401 and 403, 1 for anything else.
    public static func forStatus(_ status: Int) -> Int32 {
        switch status {
        case 200...299: Self.success
        case 401, 403: Self.noPermission
        default: Self.failure
        }
    }
}
