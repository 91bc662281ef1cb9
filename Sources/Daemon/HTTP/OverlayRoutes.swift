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
            return PageResponse.html(html, etag: OverlayPage.etag(for: html), request: request)
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
