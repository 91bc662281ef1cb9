import Foundation
import GMClient
import Testing

@Suite struct ErrorAndExitCodeTests {
    @Test("an API error prints error: message, then one indented line per field, sorted")
    func fields() throws {
        let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(Fixtures.validationErrorJSON.utf8))
        let error = GMClientError(.rejected, body.error.message, status: 422, apiError: body.error)
        #expect(
            ErrorPrinter.render(error) == """
                error: the poll is not valid
                  options: must have 2 to 5 options
                  title: must be 1 to 60 characters
                """
        )
        #expect(error.exitCode == 1)
    }

    @Test("fields that are not strings are ignored rather than failing the error body")
    func oddFields() throws {
        let json = #"{"error":{"code":"x","message":"m","fields":{"a":1}},"extra":true}"#
        let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(json.utf8))
        #expect(body.error == APIErrorBody.Detail(code: "x", message: "m"))
    }

    @Test("401, 403 and 429 add a hint; the key itself never appears")
    func hints() {
        let unauthorized = ErrorPrinter.render(GMClientError(.rejected, "a valid API key is required", status: 401))
        #expect(unauthorized == "error: a valid API key is required\nhint: the daemon did not accept the API key; check --api-key or TUMULTE_API_KEY")
        #expect(ErrorPrinter.render(GMClientError(.rejected, "revoked", status: 403)).contains("tumulte apikey create"))
        #expect(ErrorPrinter.render(GMClientError(.rejected, "slow down", status: 429, retryAfter: "7")).hasSuffix("retry after 7 s"))
    }

    @Test(
        "exit status per HTTP status: 0 for 2xx, 77 for 401 and 403, 1 for other 4xx and 5xx",
        arguments: [
            (200, 0), (201, 0), (202, 0), (204, 0), (400, 1), (401, 77), (403, 77), (404, 1), (409, 1), (413, 1), (422, 1),
            (429, 1), (500, 1), (503, 1), (302, 1),
        ]
    )
    func exitCodes(status: Int, expected: Int32) {
        #expect(GMExitCode.forStatus(status) == expected)
        if status >= 300 {
            #expect(GMClientError(.rejected, "no", status: status).exitCode == expected)
        }
    }

    @Test("exit status per kind: usage 64, unreachable 69, invalid answer 1")
    func kinds() {
        #expect(GMClientError(.usage, "x").exitCode == 64)
        #expect(GMClientError(.unreachable, "x").exitCode == 69)
        #expect(GMClientError(.invalidResponse, "x").exitCode == 1)
    }
}
