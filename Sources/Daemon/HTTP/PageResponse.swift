import Foundation
import HTTPTypes
import Hummingbird

/// The answer for a self-contained HTML page (the overlay, the dashboard): revalidated by ETag, never cached
/// without asking, no referrer, and a content security policy that allows nothing from another origin.
enum PageResponse {
    /// `html` with its strong `etag`, or `304` when the request's `If-None-Match` names it.
    /// - Parameter policyExtras: Directives added to the base content security policy.
    static func html(_ html: String, etag: String, request: Request, policyExtras: String = "") -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-cache",
            .eTag: etag,
            // An overlay's token is in its URL: it must never leave in a Referer.
            .init("Referrer-Policy")!: "no-referrer",
            .init("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy:
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:"
                + policyExtras,
        ]
        let tags = request.headers[.ifNoneMatch]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if tags.contains(etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
