import Core
public import Hummingbird
import OverlayFeed
import Storage

/// The streamer side: `GET /overlay/{token}/events`, the live feed of whatever poll runs in the token's channel.
///
/// No API key: the unguessable token is the credential. An unknown, rotated or malformed token gets the same 404 as
/// any unknown URL, so nothing tells whether a channel exists.
struct OverlayRoutes: Sendable {
    let dependencies: GMDependencies

    func register(on router: Router<AppRequestContext>) {
        router.get("/overlay/{token}/events") { request, context in
            guard let token = context.parameters.get("token") else { throw APIError.notFound() }
            let store = self.dependencies.channels
            guard let channel = try await withTimeout(.seconds(5), "reading an overlay token", { try await store.channel(overlayToken: token) })
            else { throw APIError.notFound() }
            let subscription = self.dependencies.feed.subscribe(
                topic: PollFeedSource.topic(channel: channel.login.value),
                lastEventID: request.headers[.lastEventID]
            )
            return EventStream.response(subscription)
        }
    }
}
