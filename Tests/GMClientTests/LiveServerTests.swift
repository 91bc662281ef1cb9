import Foundation
import GMClient
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The client against a real socket: a small Hummingbird server answering canned contract responses.
@Suite struct LiveServerTests {
    private static let key = "tml_" + String(repeating: "k", count: 43)

    /// What the fake daemon saw: method, raw request target, body and a few headers.
    struct Seen: Sendable, Equatable {
        var method: String
        var target: String
        var body: String
        var idempotencyKey: String?
        var contentType: String?
    }

    /// Records every request reaching the fake daemon.
    final class Recorder: Sendable {
        private let requests = Mutex<[Seen]>([])
        func append(_ seen: Seen) { self.requests.withLock { $0.append(seen) } }
        var all: [Seen] { self.requests.withLock { $0 } }
    }

    private static func respond(_ status: HTTPResponse.Status, _ json: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// A fake daemon: 401 without the right bearer key, else canned answers per route.
    private static func makeApp(_ recorder: Recorder) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: RecordingMiddleware(recorder: recorder, key: Self.key))
        router.post("/api/v1/channels") { _, _ in Self.respond(.created, Fixtures.channelJSON) }
        router.get("/api/v1/channels") { _, _ in Self.respond(.ok, #"{"channels":[\#(Fixtures.channelJSON)]}"#) }
        router.delete("/api/v1/channels/:login") { _, _ in Response(status: .noContent) }
        router.post("/api/v1/polls") { request, _ in
            if request.headers[HTTPField.Name("Idempotency-Key")!] == "again" {
                return Self.respond(.ok, Fixtures.runningPollJSON, headers: [HTTPField.Name("Idempotent-Replayed")!: "true"])
            }
            return Self.respond(.unprocessableContent, Fixtures.validationErrorJSON)
        }
        router.get("/api/v1/polls") { _, _ in Self.respond(.ok, #"{"polls":[\#(Fixtures.endedPollJSON)],"nextCursor":"c2"}"#) }
        router.get("/api/v1/polls/:id") { _, context in
            let id = try context.parameters.require("id")
            guard id == Fixtures.pollID else {
                return Self.respond(.notFound, #"{"error":{"code":"not_found","message":"no poll with that id"}}"#)
            }
            return Self.respond(.ok, Fixtures.endedPollJSON)
        }
        router.post("/api/v1/polls/:id/end") { _, _ in
            Self.respond(.accepted, Fixtures.runningPollJSON.replacingOccurrences(of: #"],"status":"running""#, with: #"],"status":"ending""#))
        }
        router.post("/api/v1/polls/:id/cancel") { _, context in
            if context.parameters.get("id") == "proxy" {
                return Response(status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: "<html>oops</html>")))
            }
            let error = #"{"error":{"code":"rate_limited","message":"too many requests"}}"#
            return Self.respond(.tooManyRequests, error, headers: [.retryAfter: "3"])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    private func withFakeDaemon(key: String = Self.key, _ body: @Sendable (GMAPIClient, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        try await Self.makeApp(recorder).test(.live) { testClient in
            let port = try #require(testClient.port)
            let server = try GMServer(baseURL: "http://127.0.0.1:\(port)/", apiKey: key)
            try await GMAPIClient.withClient(server: server) { client in try await body(client, recorder) }
        }
    }

    @Test("channel routes: 201 with the overlay URL, the list, 204 on remove with the login encoded in the path")
    func channels() async throws {
        try await self.withFakeDaemon { client, recorder in
            let added = try await client.addChannel(login: "AlphaGM")
            #expect(added.status == 201)
            #expect(try added.value().overlayUrl == "http://localhost:3333/overlay/tok1")
            #expect(try await client.listChannels().value().channels.map(\.login) == ["alpha_gm"])
            let removed = try await client.removeChannel(login: "alpha gm")
            #expect(removed.status == 204 && removed.body.isEmpty)
            let seen = recorder.all
            #expect(seen.map(\.method) == ["POST", "GET", "DELETE"])
            #expect(seen[0].body == #"{"login":"AlphaGM"}"# && seen[0].contentType == "application/json")
            #expect(seen[2].target == "/api/v1/channels/alpha%20gm")
        }
    }

    @Test("poll start: the draft leaves out unset fields, a 422 carries its fields, a replayed key is reported")
    func startPoll() async throws {
        try await self.withFakeDaemon { client, recorder in
            let draft = PollDraft(title: "", options: ["A"], channels: ["alpha_gm"], voteRule: "standard")
            do throws(GMClientError) {
                _ = try await client.startPoll(draft)
                Issue.record("a 422 must throw")
            } catch {
                #expect(error.code == .rejected && error.status == 422 && error.exitCode == 1)
                #expect(error.apiError?.fields["title"] == "must be 1 to 60 characters")
                #expect(ErrorPrinter.render(error).hasPrefix("error: the poll is not valid\n  options: "))
                #expect(error.body == Fixtures.validationErrorJSON)
            }
            let replayed = try await client.startPoll(draft, idempotencyKey: "again")
            #expect(replayed.status == 200 && replayed.replayed)
            #expect(try replayed.value().status == "running")
            let seen = recorder.all
            #expect(seen[0].body == #"{"channels":["alpha_gm"],"options":["A"],"title":"","voteRule":"standard"}"#)
            #expect(seen[0].idempotencyKey == nil && seen[1].idempotencyKey == "again")
        }
    }

    @Test("poll show, list with its query, 404, 202 on end, 429 with Retry-After, and a non-JSON 502")
    func polls() async throws {
        try await self.withFakeDaemon { client, recorder in
            #expect(try await client.poll(id: Fixtures.pollID).value().tally?.winners == [0])
            let page = try await client.listPolls(status: "ended", limit: 5, cursor: "a b").value()
            #expect(page.nextCursor == "c2" && page.polls.count == 1)
            #expect(recorder.all[1].target == "/api/v1/polls?status=ended&limit=5&cursor=a%20b")

            await #expect(throws: GMClientError.self) { try await client.poll(id: "nope") }
            do throws(GMClientError) {
                _ = try await client.poll(id: "a/b")
                Issue.record("a 404 must throw")
            } catch {
                #expect(error.status == 404 && error.exitCode == 1 && error.message == "no poll with that id")
            }
            #expect(recorder.all.last?.target == "/api/v1/polls/a%2Fb")

            let ending = try await client.endPoll(id: Fixtures.pollID)
            #expect(ending.status == 202)
            #expect(try ending.value().status == "ending")

            do throws(GMClientError) {
                _ = try await client.cancelPoll(id: Fixtures.pollID)
                Issue.record("a 429 must throw")
            } catch {
                #expect(error.status == 429 && error.retryAfter == "3" && error.exitCode == 1)
                #expect(ErrorPrinter.render(error) == "error: too many requests\nhint: too many requests; retry after 3 s")
            }
            do throws(GMClientError) {
                _ = try await client.cancelPoll(id: "proxy")
                Issue.record("a 502 must throw")
            } catch {
                #expect(error.status == 502 && error.apiError == nil && error.exitCode == 1)
                #expect(error.message.hasPrefix("HTTP 502 Bad Gateway from http://127.0.0.1:"))
                #expect(error.message.hasSuffix("/api/v1/polls/proxy/cancel"))
            }
        }
    }

    @Test("a wrong key gets 401: exit 77, and the key is in no message")
    func unauthorized() async throws {
        try await self.withFakeDaemon(key: "tml_wrong") { client, _ in
            do throws(GMClientError) {
                _ = try await client.listChannels()
                Issue.record("a 401 must throw")
            } catch {
                #expect(error.status == 401 && error.exitCode == 77)
                #expect(error.apiError?.code == "unauthorized")
                #expect(!ErrorPrinter.render(error).contains("tml_wrong"))
            }
        }
    }

    @Test("a 2xx body that is not the expected JSON is an invalid answer (exit 1)")
    func invalidAnswer() {
        let response = GMResponse<Poll>(status: 200, body: Array("<html>".utf8), url: "http://h/api/v1/polls/x")
        #expect(throws: GMClientError.self) { try response.value() }
        do throws(GMClientError) {
            _ = try response.value()
        } catch {
            #expect(error.code == .invalidResponse && error.exitCode == 1)
        }
    }

    @Test("a refused port is unreachable: exit 69, and the message names the URL and the cause")
    func refused() async throws {
        // Port 1 on the loopback: nothing listens there, and unlike a port just closed no other test can take it.
        let server = try GMServer(baseURL: "http://127.0.0.1:1", apiKey: Self.key)
        try await GMAPIClient.withClient(server: server) { client in
            do throws(GMClientError) {
                _ = try await client.listChannels()
                Issue.record("a refused connection must throw")
            } catch {
                #expect(error.code == .unreachable && error.exitCode == 69)
                #expect(error.message == "cannot reach tumulte at http://127.0.0.1:1: connection refused")
                #expect(!error.message.contains(Self.key))
            }
        }
    }
}

/// Records each request, then answers 401 unless it carries the expected bearer key.
struct RecordingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let recorder: LiveServerTests.Recorder
    let key: String

    func handle(_ input: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = input
        let body = try await request.collectBody(upTo: 1 << 20)
        self.recorder.append(
            LiveServerTests.Seen(
                method: request.method.rawValue,
                target: request.head.path ?? "",
                body: String(buffer: body),
                idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!],
                contentType: request.headers[.contentType]
            )
        )
        guard request.headers[.authorization] == "Bearer \(self.key)" else {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.wwwAuthenticate] = "Bearer"
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Fixtures.unauthorizedJSON)))
        }
        return try await next(request, context)
    }
}
