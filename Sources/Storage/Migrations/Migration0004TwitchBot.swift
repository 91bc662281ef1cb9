extension Migration {
    /// Version 4: the bot account that reads chat and posts poll announcements, with its sealed tokens.
    static let twitchBot = Migration(
        version: 4,
        name: "twitch_bot",
        statements: [
            """
            CREATE TABLE twitch_bot (
                id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
                twitch_user_id text NOT NULL,
                login text NOT NULL CHECK (login ~ '^[a-z0-9_]{3,25}$'),
                access_token_enc bytea NOT NULL,
                refresh_token_enc bytea,
                key_id text NOT NULL,
                scopes text[] NOT NULL DEFAULT '{}',
                expires_at timestamptz,
                needs_reauth boolean NOT NULL DEFAULT false,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """
        ]
    )
}
