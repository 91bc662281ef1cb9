import Foundation
import HTTPTypes
import Hummingbird
import OverlayFeed

/// The small pages of the Twitch connection flow: a sentence, and maybe a link. No script, no style from outside.
enum AuthPage {
    /// A page with `title`, `message` and an optional link, answered with `status`.
    static func response(
        status: HTTPResponse.Status,
        title: String,
        message: String,
        link: (label: String, url: String)? = nil,
        cookie: String? = nil
    )
        -> Response
    {
        var body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(OverlayPage.escapeHTML(title))</title>"
        body += "<meta name=\"viewport\" content=\"width=device-width\"><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;"
        body += "margin:4em auto;padding:0 1em}code{word-break:break-all}</style></head><body>"
        body += "<h1>\(OverlayPage.escapeHTML(title))</h1><p>\(OverlayPage.escapeHTML(message))</p>"
        if let link {
            body += "<p>\(OverlayPage.escapeHTML(link.label))<br><code>\(OverlayPage.escapeHTML(link.url))</code></p>"
        }
        body += "</body></html>"
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .init("Referrer-Policy")!: "no-referrer",
            .init("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
