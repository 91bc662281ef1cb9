import Core
import Foundation
import HTTPTypes
public import Hummingbird
import OverlayFeed
import Storage

/// The streamer side: `GET /overlay/{token}` (the page for OBS) and `GET /overlay/{token}/events` (the live feed of
/// whatever poll runs in the token's channel).
///
/// No API key: the unguessable token is the credential. An unknown, rotated or malformed token gets the same 404 as
/// any unknown URL, so nothing tells whether a channel exists.
struct OverlayRoutes: Sendable {
    let dependencies: GMDependencies

    func register(on router: Router<AppRequestContext>) {
        router.get("/overlay/{token}") { request, context in
            let channel = try await self.channel(context)
            let html = OverlayPage.html(channel: channel.login.value)
            let etag = OverlayPage.etag(for: html)
            var headers: HTTPFields = [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-cache",
                .eTag: etag,
                // The token is in the URL: it must never leave in a Referer; the page loads nothing from elsewhere.
                .init("Referrer-Policy")!: "no-referrer",
                .init("X-Content-Type-Options")!: "nosniff",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
            ]
            if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("/overlay/{token}/events") { request, context in
            let channel = try await self.channel(context)
            return EventStream.response(
                feed: self.dependencies.feed,
                topic: PollFeedSource.topic(channel: channel.login.value),
                request: request,
                context: context
            )
        }
    }

    /// The active channel of the request's token; a 404 like any unknown URL otherwise.
    private func channel(_ context: AppRequestContext) async throws -> ChannelRecord {
        guard let token = context.parameters.get("token") else { throw APIError.notFound() }
        let store = self.dependencies.channels
        guard let channel = try await withTimeout(.seconds(5), "reading an overlay token", { try await store.channel(overlayToken: token) })
        else { throw APIError.notFound() }
        return channel
    }
}
