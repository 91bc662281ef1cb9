import ArgumentParser
import Daemon
import Foundation
import Logging
import Metrics
import NIOCore
import Prometheus

/// What every daemon-side command needs: the validated configuration, the root logger and the metrics registry.
struct CommandEnvironment: Sendable {
    let configuration: AppConfiguration
    let logger: Logger
    let registry: PrometheusCollectorRegistry

    /// Reads the configuration, sets up logging and metrics; exits 78 with one line on a bad value.
    static func load(settings: [String]) async throws -> CommandEnvironment {
        let configuration: AppConfiguration
        do {
            let reader = try await AppConfiguration.makeReader(
                arguments: ["tumulte"] + settings,
                environment: ProcessInfo.processInfo.environment
            )
            configuration = try AppConfiguration(reader: reader)
        } catch let error as ConfigurationError {
            Self.fail(error)
        } catch {
            Self.fail(ConfigurationError(variable: ".env", message: ".env could not be read: \(error)"))
        }

        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .json: JSONLogHandler(label: label)
            case .text: StreamLogHandler.standardError(label: label)
            }
        }
        var logger = Logger(label: "tumulte")
        logger.logLevel = configuration.logLevel

        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (PrometheusNames.sanitize(name), labels.map { (PrometheusNames.sanitize($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)

        do {
            return CommandEnvironment(configuration: try configuration.resolvingAppKey(logger: logger), logger: logger, registry: registry)
        } catch {
            Self.fail(error)
        }
    }

    /// Runs `body`, turning the errors an operator can act on into one line on standard error.
    func runReportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            let http = self.configuration.http
            FileHandle.standardError.write(Data("tumulte: port \(http.port) is already in use on \(http.host); set PORT to a free port\n".utf8))
            throw ExitCode(69)
        } catch let error as ConfigurationError {
            Self.fail(error)
        } catch {
            self.logger.critical("stopped on an error", metadata: ["tumulte.error": "\(String(reflecting: error))"])
            throw ExitCode.failure
        }
    }

    private static func fail(_ error: ConfigurationError) -> Never {
        FileHandle.standardError.write(Data("tumulte: \(error.message)\n".utf8))
        exit(ConfigurationError.exitCode)
    }
}

/// Prometheus naming: `[a-zA-Z_:][a-zA-Z0-9_:]*`; swift-metrics labels such as `http.server.requests` are rewritten.
enum PrometheusNames {
    static func sanitize(_ name: String) -> String {
        var result = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ":")
                    ? Character(scalar) : "_"
            }
        )
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "_" + result }
        return result
    }
}
