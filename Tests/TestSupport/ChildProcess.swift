import Foundation
import Synchronization

/// A child process whose output lines can be awaited, for tests that run real servers and the tumulte binary.
public final class ChildProcess: Sendable {
    /// Raised when a process does not do what was awaited in time.
    public struct Timeout: Error, CustomStringConvertible {
        /// What was awaited, with the output so far.
        public let description: String
    }

    private let process: Process
    private let state = Mutex<
        (
            lines: [String], partial: String,
            waiters: [(id: UUID, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)]
        )
    >(([], "", []))
    private let exit = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    /// Starts `executable` with `arguments`; standard output and error are merged into `lines`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, workingDirectory: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self?.append(String(decoding: data, as: UTF8.self))
        }
        process.terminationHandler = { [weak self] process in
            guard let self else { return }
            let waiters = self.exit.withLock { state in
                state.status = process.terminationStatus
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: process.terminationStatus) }
            // Nobody waits for a line any more once the process is gone.
            let lineWaiters = self.state.withLock { state in
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in lineWaiters { waiter.continuation.resume(returning: nil) }
        }
        try process.run()
    }

    deinit {
        if self.process.isRunning { self.process.terminate() }
    }

    private func append(_ text: String) {
        let ready: [(CheckedContinuation<String?, Never>, String)] = self.state.withLock { state in
            var text = state.partial + text
            var complete: [String] = []
            while let newline = text.firstIndex(of: "\n") {
                complete.append(String(text[..<newline]))
                text = String(text[text.index(after: newline)...])
            }
            state.partial = text
            state.lines.append(contentsOf: complete)
            var ready: [(CheckedContinuation<String?, Never>, String)] = []
            state.waiters.removeAll { waiter in
                guard let line = complete.first(where: waiter.predicate) else { return false }
                ready.append((waiter.continuation, line))
                return true
            }
            return ready
        }
        for (continuation, line) in ready { continuation.resume(returning: line) }
    }

    /// The process id.
    public var pid: Int32 { self.process.processIdentifier }

    /// Every complete line printed so far.
    public var output: [String] { self.state.withLock { $0.lines } }

    /// Waits for a printed line matching `predicate` (including lines already printed); throws on timeout or exit.
    @discardableResult
    public func waitForLine(timeout: Duration = .seconds(30), where predicate: @escaping @Sendable (String) -> Bool) async throws -> String {
        let id = UUID()
        let line: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let existing: String?? = self.state.withLock { state in
                        if let line = state.lines.first(where: predicate) { return .some(line) }
                        if self.exit.withLock({ $0.status }) != nil { return .some(nil) }
                        state.waiters.append((id, predicate, continuation))
                        return .none
                    }
                    if let existing { continuation.resume(returning: existing) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            // Release the line waiter if the timeout won.
            let stale = self.state.withLock { state -> CheckedContinuation<String?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            stale?.resume(returning: nil)
            group.cancelAll()
            return first
        }
        guard let line else {
            throw Timeout(description: "no matching line within \(timeout); output:\n" + self.output.suffix(40).joined(separator: "\n"))
        }
        return line
    }

    /// Sends `signal` (e.g. `SIGTERM`, `SIGKILL`).
    public func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its status; throws if it is still running after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let status = self.exit.withLock { state -> Int32? in
                        if let status = state.status { return status }
                        state.waiters.append(continuation)
                        return nil
                    }
                    if let status { continuation.resume(returning: status) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {
                // Timed out: kill it so the waiting child task finishes, then report the timeout.
                self.send(SIGKILL)
            }
            group.cancelAll()
            return first
        }
        guard let status else {
            throw Timeout(description: "process \(self.pid) still running after \(timeout); killed")
        }
        return status
    }
}
