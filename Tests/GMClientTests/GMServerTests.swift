import GMClient
import Testing

@Suite struct GMServerTests {
    private let key = "tml_" + String(repeating: "a", count: 43)

    @Test(
        "trailing slashes of the base URL are dropped; a path prefix is kept",
        arguments: [
            ("http://localhost:3333", "http://localhost:3333/api/v1/polls"),
            ("http://localhost:3333/", "http://localhost:3333/api/v1/polls"),
            ("http://localhost:3333///", "http://localhost:3333/api/v1/polls"),
            ("https://gm.example/tumulte/", "https://gm.example/tumulte/api/v1/polls"),
            ("  http://127.0.0.1:8080 ", "http://127.0.0.1:8080/api/v1/polls"),
        ]
    )
    func trailingSlash(base: String, expected: String) throws {
        #expect(try GMServer(baseURL: base, apiKey: self.key).url(["api", "v1", "polls"]) == expected)
    }

    @Test("ids and logins are percent-encoded as one path segment; query values too; nil query values are left out")
    func encoding() throws {
        let server = try GMServer(baseURL: "http://h:1", apiKey: self.key)
        #expect(server.url(["api", "v1", "polls", "a/b c?d#e%"]) == "http://h:1/api/v1/polls/a%2Fb%20c%3Fd%23e%25")
        #expect(server.url(["polls", "é"]) == "http://h:1/polls/%C3%A9")
        #expect(server.url(["polls", ".."]) == "http://h:1/polls/%2E%2E")
        #expect(server.url(["polls", Fixtures.pollID, "end"]) == "http://h:1/polls/\(Fixtures.pollID)/end")
        #expect(
            server.url(["polls"], query: [("status", "ended"), ("limit", nil), ("cursor", "x+y=/z")])
                == "http://h:1/polls?status=ended&cursor=x%2By%3D%2Fz"
        )
    }

    @Test(
        "bad base URLs and missing keys are usage errors (64)",
        arguments: [
            "localhost:3333", "ftp://h", "http://", "http://u:p@h", "http://h/?q=1", "http://h/#f", "",
        ]
    )
    func badURL(base: String) {
        #expect(throws: GMClientError.self) { try GMServer(baseURL: base, apiKey: self.key) }
        do throws(GMClientError) {
            _ = try GMServer(baseURL: base, apiKey: self.key)
        } catch {
            #expect(error.code == .usage && error.exitCode == 64)
            #expect(!error.message.contains(self.key))
        }
    }

    @Test("--url wins over TUMULTE_URL, which wins over the default; --api-key over TUMULTE_API_KEY; no key is a usage error")
    func resolve() throws {
        let env = ["TUMULTE_URL": "http://env:1/", "TUMULTE_API_KEY": "envkey"]
        #expect(try GMServer.resolve(url: nil, apiKey: nil, environment: env).baseURL == "http://env:1")
        #expect(try GMServer.resolve(url: "http://flag:2", apiKey: "k", environment: env).baseURL == "http://flag:2")
        #expect(try GMServer.resolve(url: nil, apiKey: "k", environment: [:]).baseURL == "http://localhost:3333")
        #expect(try GMServer.resolve(url: nil, apiKey: "k", environment: ["TUMULTE_URL": ""]).baseURL == "http://localhost:3333")
        for environment in [[:], ["TUMULTE_API_KEY": ""]] {
            do throws(GMClientError) {
                _ = try GMServer.resolve(url: nil, apiKey: nil, environment: environment)
                Issue.record("a missing key must fail")
            } catch {
                #expect(error.exitCode == 64)
                #expect(error.message.contains("TUMULTE_API_KEY"))
            }
        }
        #expect(throws: GMClientError.self) { try GMServer.resolve(url: nil, apiKey: "with space", environment: [:]) }
    }
}
