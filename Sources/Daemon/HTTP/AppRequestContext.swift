public import Hummingbird
public import NIOCore
public import Storage

/// The request context of every route: Hummingbird's core storage with a 64 KiB body limit, plus the calling API key.
public struct AppRequestContext: RequestContext {
    /// The largest request body accepted; larger bodies get 413.
    public static let maxBodySize = 64 * 1024

    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The API key that authenticated the request; set by ``APIKeyMiddleware`` on `/api/v1` routes.
    public var apiKey: APIKeyRecord?
    /// The client's connection, which an event stream closes when its client is dropped for reading too slowly.
    public let connection: any Channel

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connection = source.channel
    }

    /// The body limit used when decoding requests.
    public var maxUploadSize: Int { Self.maxBodySize }
}
