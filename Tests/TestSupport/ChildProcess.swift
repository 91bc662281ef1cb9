import Foundation
import Synchronization

/// A child process whose output lines can be awaited, for tests that run real servers and the tumulte binary.
public final class ChildProcess: Sendable {
    /// Raised when a process does not do what was awaited in time.
    public struct Timeout: Error, CustomStringConvertible {
        /// What was awaited, with the output so far.
        public let description: String

        /// Creates the error.
        public init(description: String) {
            self.description = description
        }
    }

    private let processID: pid_t
    private let state = Mutex<
        (
            lines: [String], partial: String, closed: Bool,
            waiters: [(id: UUID, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)]
        )
    >(([], "", false, []))
    private let exit = Mutex<(status: Int32?, waiters: [(id: UUID, continuation: CheckedContinuation<Int32?, Never>)])>((nil, []))

    /// Starts `executable` with `arguments`; standard output and error are merged into `lines`.
    ///
    /// Built on `posix_spawn` and a blocking `waitpid` on a thread of its own, not on Foundation's `Process`, whose
    /// termination handler on Linux waits for every inheritor of the output pipe (a daemon the child started) to exit.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, workingDirectory: String? = nil) throws {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        // Every other descriptor stays here. NIO opens sockets without close-on-exec, so a server spawned by one test
        // would otherwise hold copies of another test's client sockets and pipes: closing such a socket here would
        // send no FIN while the copy lives, and a pipe would not reach end-of-file.
        guard Self.closeFrom(3, in: &actions) else {
            close(pipeEnds[0])
            close(pipeEnds[1])
            throw POSIXError(.ENOSYS)
        }
        // Glibc's addchdir is not visible to Swift here; coreutils' `env --chdir` does the same before exec.
        let command = workingDirectory.map { ["/usr/bin/env", "--chdir=\($0)", executable] + arguments } ?? [executable] + arguments
        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        close(pipeEnds[1])
        guard result == 0 else {
            close(pipeEnds[0])
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT)
        }
        self.processID = pid
        let reader = pipeEnds[0]
        let outputClosed = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                self.append(String(decoding: buffer[0..<count], as: UTF8.self))
            }
            close(reader)
            // The output is complete: nobody waits for a line any more.
            let waiters = self.state.withLock { state in
                state.closed = true
                if !state.partial.isEmpty { state.lines.append(state.partial) }
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.continuation.resume(returning: nil) }
            outputClosed.signal()
        }
        let child = pid
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            // Let the reader drain what the process printed before it exited, so `output` is complete when
            // `waitForExit` returns; a grandchild that inherited the pipe (a daemon) must not hold this up.
            _ = outputClosed.wait(timeout: .now() + 2)
            // Exit code for a normal exit, 128 + signal for a kill, as shells report it.
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            let waiters = self.exit.withLock { state in
                state.status = code
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.continuation.resume(returning: code) }
        }
    }

    deinit {
        if self.exit.withLock({ $0.status }) == nil { kill(self.processID, SIGKILL) }
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

    /// Runs a command to completion synchronously, its output discarded; for clean-up in `deinit`.
    @discardableResult
    public static func runSynchronously(_ command: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        guard Self.closeFrom(3, in: &actions) else { return -1 }
        let argv = command.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Adds "close every descriptor from `lowest` up" to `actions`, with glibc's (2.34+)
    /// `posix_spawn_file_actions_addclosefrom_np`, which the Glibc module does not declare; false where it is missing.
    private static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) -> Bool {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        // A null handle is glibc's RTLD_DEFAULT: every loaded object.
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return false }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest) == 0
    }

    /// The process id.
    public var pid: Int32 { self.processID }

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
                        if state.closed { return .some(nil) }
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

    /// Waits until the process has closed its output, so `output` holds every line (or `timeout` passes).
    public func waitForOutputEnd(timeout: Duration = .seconds(30)) async {
        // No line matches, so this returns when the output closes (or at the timeout).
        _ = try? await self.waitForLine(timeout: timeout) { _ in false }
    }

    /// Sends `signal` (e.g. `SIGTERM`, `SIGKILL`).
    public func send(_ signal: Int32) {
        kill(self.processID, signal)
    }

    /// Waits for the process to exit and returns its status; throws (after a SIGKILL) if it is still running after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let id = UUID()
        let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let status = self.exit.withLock { state -> Int32? in
                        if let status = state.status { return status }
                        state.waiters.append((id, continuation))
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
            // Release the exit waiter if the timeout won, so the group can finish.
            let stale = self.exit.withLock { state -> CheckedContinuation<Int32?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            stale?.resume(returning: nil)
            group.cancelAll()
            return first
        }
        guard let status else {
            self.send(SIGKILL)
            throw Timeout(description: "process \(self.pid) still running after \(timeout); killed")
        }
        return status
    }
}
