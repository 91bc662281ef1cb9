import Foundation

/// One HTTP request to the API simulator, whole.
struct APIRequest: Sendable {
    /// `GET`, `POST` …
    var method: String
    /// The path without the query.
    var path: String
    /// Query items in order (a name may repeat, as `id=` does in Helix).
    var query: [(name: String, value: String)]
    /// Header values by lower-cased name.
    var headers: [String: String]
    /// The raw body.
    var body: [UInt8]

    /// Splits `uri` into path and query.
    init(method: String, uri: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = String(parts[0])
        self.query = parts.count > 1 ? Self.formItems(String(parts[1])) : []
        self.headers = headers
        self.body = body
    }

    /// The first value of query item `name`.
    func query(_ name: String) -> String? {
        self.query.first { $0.name == name }?.value
    }

    /// Every value of query item `name`.
    func queryAll(_ name: String) -> [String] {
        self.query.filter { $0.name == name }.map(\.value)
    }

    /// The body as `application/x-www-form-urlencoded` items.
    var form: [String: String] {
        Dictionary(Self.formItems(String(decoding: self.body, as: UTF8.self)).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    /// The body as a JSON object, if it is one.
    var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any]
    }

    /// Decodes `a=1&b=x+y` items.
    static func formItems(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
        }
    }
}

/// The simulator's answer to one request.
struct APIResponse: Sendable {
    /// The HTTP status code.
    var status: Int
    /// Extra headers.
    var headers: [(String, String)] = []
    /// The body bytes.
    var body: [UInt8] = []

    /// A JSON answer.
    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> APIResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return APIResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }

    /// A Twitch-shaped error body: `{"error": <reason>, "status": n, "message": …}`.
    static func error(_ status: Int, _ message: String, headers: [(String, String)] = []) -> APIResponse {
        .json(status, ["error": Self.reason(status), "status": status, "message": message], headers: headers)
    }

    /// A redirect to `location`.
    static func redirect(_ location: String) -> APIResponse {
        APIResponse(status: 302, headers: [("Location", location)])
    }

    /// The reason phrase Twitch puts in `error`.
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }
}
