public import Logging
import Redis

extension AppConfiguration {
    /// The configuration as log metadata, with every secret replaced by `<redacted>` or `<unset>`.
    public var redactedMetadata: Logger.Metadata {
        func secret(_ value: String?) -> Logger.MetadataValue { value == nil ? "<unset>" : "<redacted>" }
        func plain(_ value: String?) -> Logger.MetadataValue { value.map { .string($0) } ?? "<unset>" }
        return [
            "config.app_env": "\(self.environment.rawValue)",
            "config.host": "\(self.http.host)",
            "config.port": "\(self.http.port)",
            "config.app_key": self.appKey == nil ? "<unset>" : "<redacted>",
            "config.db_host": "\(self.database.host)",
            "config.db_port": "\(self.database.port)",
            "config.db_user": "\(self.database.user)",
            "config.db_password": secret(self.database.password),
            "config.db_database": "\(self.database.database)",
            "config.db_ssl": "\(self.database.tls.rawValue)",
            "config.redis_host": "\(self.redis.host)",
            "config.redis_port": "\(self.redis.port)",
            "config.redis_password": secret(self.redis.password),
            "config.redis_db": "\(self.redis.database)",
            "config.log_level": "\(self.logLevel.rawValue)",
            "config.log_format": "\(self.logFormat.rawValue)",
            "config.metrics_token": secret(self.metricsToken),
            "config.twitch_client_id": plain(self.twitch.clientID),
            "config.twitch_client_secret": secret(self.twitch.clientSecret),
            "config.twitch_irc_url": "\(self.twitch.ircURL)",
            "config.twitch_eventsub_url": "\(self.twitch.eventSubURL)",
            "config.twitch_api_url": "\(self.twitch.apiURL)",
            "config.twitch_auth_url": "\(self.twitch.authURL)",
            "config.eventsub_transport": "\(self.eventSub.transport.rawValue)",
            "config.eventsub_webhook_secret": secret(self.eventSub.webhookSecret),
            "config.session_driver": "\(self.sessionDriver.rawValue)",
            "config.frontend_url": plain(self.frontendURL),
            "config.public_url": "\(self.publicBaseURL)",
            "config.vote_queue_limit": "\(self.voting.queueLimit)",
            "config.chat_moderation": "\(self.voting.moderation)",
            "config.twitch_join_limit": "\(self.voting.joinLimit)",
            "config.sse_coalesce_ms": "\(self.feed.coalesceMilliseconds)",
            "config.sse_stall_seconds": "\(self.feed.stallSeconds)",
        ]
    }
}
