import Foundation
public import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// Headless Chromium driven over the DevTools protocol: open a page, read its DOM with JavaScript, take screenshots.
///
/// Chromium comes from Debian's `chromium` package (`make test` installs it). Each call starts its own browser with a
/// throwaway profile and stops it afterwards.
public enum HeadlessBrowser {
    /// An error from the browser or the protocol.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The Chromium executable: `CHROMIUM`, else `/usr/bin/chromium`.
    public static var executable: String { ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium" }

    /// Opens `url` in a `width`×`height` viewport and runs `body` with the page.
    public static func withPage<T: Sendable>(
        url: String,
        width: Int = 1920,
        height: Int = 1080,
        logger: Logger,
        _ body: @escaping @Sendable (BrowserPage) async throws -> T
    ) async throws -> T {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let browser = try ChildProcess(
            Self.executable,
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile)", "--window-size=\(width),\(height)",
                "--hide-scrollbars", "about:blank",
            ]
        )
        defer {
            browser.send(SIGKILL)
        }
        let line = try await browser.waitForLine(timeout: .seconds(60)) { $0.contains("DevTools listening on ws://") }
        guard let start = line.range(of: "ws://") else { throw Failure(description: "no DevTools URL in: \(line)") }
        let endpoint = String(line[start.lowerBound...]).trimmingCharacters(in: .whitespaces)

        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 64 << 20
        let result = Mutex<Result<T, any Error>?>(nil)
        _ = try await WebSocketClient.connect(url: endpoint, configuration: configuration, logger: logger) { inbound, outbound, _ in
            let connection = DevToolsConnection(outbound: outbound)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 64 << 20) {
                        guard case .text(let text) = message else { continue }
                        connection.received(text)
                    }
                    connection.failAll()
                }
                defer { group.cancelAll() }
                do {
                    let target = try await connection.send("Target.createTarget", ["url": "about:blank"])
                    guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target id") }
                    let attached = try await connection.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
                    guard let session = attached["sessionId"] as? String else { throw Failure(description: "no session id") }
                    let page = BrowserPage(connection: connection, session: session)
                    _ = try await page.command(
                        "Emulation.setDeviceMetricsOverride",
                        ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false]
                    )
                    _ = try await page.command("Emulation.setDefaultBackgroundColorOverride", ["color": ["r": 0, "g": 0, "b": 0, "a": 0]])
                    _ = try await page.command("Page.navigate", ["url": url])
                    let value = try await body(page)
                    result.withLock { $0 = .success(value) }
                } catch {
                    result.withLock { $0 = .failure(error) }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
        guard let outcome = result.withLock({ $0 }) else { throw Failure(description: "the DevTools connection closed early") }
        return try outcome.get()
    }
}

/// One open page of ``HeadlessBrowser``.
public struct BrowserPage: Sendable {
    fileprivate let connection: DevToolsConnection
    fileprivate let session: String

    /// Sends a DevTools command to this page and returns its result.
    @discardableResult
    public func command(_ method: String, _ parameters: [String: any Sendable] = [:]) async throws -> [String: any Sendable] {
        try await self.connection.send(method, parameters, session: self.session)
    }

    /// Evaluates a JavaScript expression in the page and returns its JSON value (strings, numbers, arrays, objects;
    /// booleans come back as numbers, so compare strings, e.g. `JSON.stringify(…)`).
    public func evaluate(_ expression: String) async throws -> (any Sendable)? {
        let reply = try await self.command("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = reply["exceptionDetails"] { throw HeadlessBrowser.Failure(description: "JavaScript failed: \(exception)") }
        return (reply["result"] as? [String: any Sendable])?["value"]
    }

    /// Re-evaluates a boolean expression every 100 ms until it is true; throws after `timeout`.
    public func waitUntil(_ expression: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            // Compared as text: JSON booleans and numbers are not told apart once decoded on Linux.
            if (try? await self.evaluate("(\(expression)) ? 'yes' : 'no'")) as? String == "yes" { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HeadlessBrowser.Failure(description: "timed out after \(timeout) waiting for: \(expression)")
    }

    /// Saves a PNG screenshot of the viewport to `path` (folders are created).
    public func screenshot(to path: String) async throws {
        let reply = try await self.command("Page.captureScreenshot", ["format": "png"])
        guard let base64 = reply["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw HeadlessBrowser.Failure(description: "no screenshot data")
        }
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
            withIntermediateDirectories: true
        )
        try data.write(to: URL(fileURLWithPath: path))
    }
}

/// Request/response matching over one DevTools WebSocket.
final class DevToolsConnection: Sendable {
    private struct State {
        var nextID = 0
        var pending: [Int: CheckedContinuation<[String: any Sendable], any Error>] = [:]
        /// Answers that arrived before their sender started waiting.
        var early: [Int: Result<[String: any Sendable], HeadlessBrowser.Failure>] = [:]
        var closed = false
    }

    private let outbound: WebSocketOutboundWriter
    private let state = Mutex(State())

    init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    func send(_ method: String, _ parameters: [String: any Sendable], session: String? = nil) async throws -> [String: any Sendable] {
        let id = self.state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        try await self.outbound.write(.text(text))
        return try await withCheckedThrowingContinuation { continuation in
            let ready = self.state.withLock { state -> Result<[String: any Sendable], HeadlessBrowser.Failure>? in
                if let early = state.early.removeValue(forKey: id) { return early }
                if state.closed { return .failure(HeadlessBrowser.Failure(description: "the DevTools connection is closed")) }
                state.pending[id] = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    func received(_ text: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], let id = object["id"] as? Int else {
            return
        }
        let outcome: Result<[String: any Sendable], HeadlessBrowser.Failure> =
            if let error = object["error"] {
                .failure(HeadlessBrowser.Failure(description: "DevTools error: \(error)"))
            } else {
                .success(Self.sendable(object["result"]) as? [String: any Sendable] ?? [:])
            }
        let waiter = self.state.withLock { state -> CheckedContinuation<[String: any Sendable], any Error>? in
            guard let waiter = state.pending.removeValue(forKey: id) else {
                state.early[id] = outcome
                return nil
            }
            return waiter
        }
        waiter?.resume(with: outcome.mapError { $0 as any Error })
    }

    func failAll() {
        let waiters = self.state.withLock { state in
            state.closed = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for waiter in waiters { waiter.resume(throwing: HeadlessBrowser.Failure(description: "the DevTools connection closed")) }
    }

    /// JSONSerialization's values as Sendable ones.
    private static func sendable(_ value: Any?) -> (any Sendable)? {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues { Self.sendable($0) ?? "" } as [String: any Sendable]
        case let array as [Any]: return array.map { Self.sendable($0) ?? "" } as [any Sendable]
        case let string as String: return string
        case let number as NSNumber: return number.doubleValue == number.doubleValue.rounded() ? number.intValue as any Sendable : number.doubleValue
        default: return nil
        }
    }
}
