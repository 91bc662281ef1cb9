import Foundation

/// Runs the built `tumulte` executable as a child process, the way an operator does.
public enum TumulteBinary {
    /// The path of the executable: `TUMULTE_BIN`, or `tumulte` beside the test bundle in the build folder.
    public static var path: String {
        if let path = ProcessInfo.processInfo.environment["TUMULTE_BIN"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the bundle is `…/debug/tumultePackageTests.xctest`; on macOS it is a folder deeper.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tumulte").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return ".build/debug/tumulte"
    }

    /// A minimal environment (PATH only) plus `variables`, so the caller's shell settings cannot leak in.
    public static func environment(_ variables: [String: String]) -> [String: String] {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment.merge(variables) { $1 }
        return environment
    }

    /// Starts `tumulte` with `arguments` in an empty working folder (so no `.env` is picked up).
    public static func start(_ arguments: [String], environment variables: [String: String]) throws -> ChildProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tumulte-run-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try ChildProcess(self.path, arguments, environment: self.environment(variables), workingDirectory: folder)
    }
}
