import Foundation
public import Logging
import NIOSSL
public import PostgresNIO

extension AppConfiguration.Database {
    /// The postgres-nio client configuration for these settings.
    public var postgresConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: self.host,
            port: self.port,
            username: self.user,
            password: self.password,
            database: self.database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = 10
        return configuration
    }
}

extension AppConfiguration {
    /// Fills in the application key where none was configured: in development the one kept in the data folder
    /// (created on first use), in tests a fresh one. Production configurations already carry one.
    public func resolvingAppKey(logger: Logger) throws(ConfigurationError) -> AppConfiguration {
        guard self.appKey == nil else { return self }
        var resolved = self
        switch self.environment {
        case .production:
            throw .missing("APP_KEY", expected: "32 random bytes in base64 when APP_ENV=production (make one with `tumulte key generate`)")
        case .test:
            resolved.appKey = AppKey.generate()
        case .development:
            do {
                let (key, created) = try AppKey.loadOrCreateDevelopmentKey(in: self.dataDirectory)
                resolved.appKey = key
                logger.notice(
                    created ? "generated a development application key" : "using the development application key",
                    metadata: ["config.app_key_file": "\(self.dataDirectory)/app.key"]
                )
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw ConfigurationError(variable: "APP_KEY", message: "APP_KEY is not set and the development key could not be read")
            }
        }
        return resolved
    }
}
