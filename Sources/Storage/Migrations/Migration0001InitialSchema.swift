extension Migration {
    /// Version 1: channels, encrypted Twitch tokens, polls, per-channel poll rows and API keys.
    static let initialSchema = Migration(
        version: 1,
        name: "initial_schema",
        statements: [
            """
            CREATE TABLE api_keys (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
                key_hash bytea NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_used_at timestamptz,
                revoked_at timestamptz
            )
            """,
            """
            CREATE TABLE channels (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                twitch_user_id text UNIQUE,
                login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9_]{3,25}$'),
                display_name text,
                broadcaster_type text NOT NULL DEFAULT '' CHECK (broadcaster_type IN ('', 'affiliate', 'partner')),
                overlay_token_hash bytea UNIQUE,
                overlay_token_rotated_at timestamptz,
                needs_reauth boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE twitch_tokens (
                channel_id uuid PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
                access_token_enc bytea NOT NULL,
                refresh_token_enc bytea,
                key_id text NOT NULL,
                scopes text[] NOT NULL DEFAULT '{}',
                expires_at timestamptz,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE polls (
                id uuid PRIMARY KEY,
                title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
                options text[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 5),
                duration_seconds integer NOT NULL CHECK (duration_seconds BETWEEN 15 AND 1800),
                vote_rule text NOT NULL CHECK (vote_rule IN ('unique', 'standard')),
                status text NOT NULL CHECK (status IN ('running', 'ending', 'ended', 'cancelled')),
                started_at timestamptz NOT NULL,
                ends_at timestamptz NOT NULL,
                ended_at timestamptz,
                votes bigint[],
                total_votes bigint,
                winners integer[],
                created_by uuid REFERENCES api_keys (id) ON DELETE SET NULL,
                idempotency_key text,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (created_by, idempotency_key)
            )
            """,
            "CREATE INDEX polls_started_at_idx ON polls (started_at DESC, id DESC)",
            "CREATE INDEX polls_status_idx ON polls (status) WHERE status IN ('running', 'ending')",
            """
            CREATE TABLE poll_channels (
                poll_id uuid NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
                channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE RESTRICT,
                mode text NOT NULL CHECK (mode IN ('chat', 'native')),
                twitch_poll_id text,
                votes bigint[],
                total_votes bigint,
                status text NOT NULL,
                PRIMARY KEY (poll_id, channel_id)
            )
            """,
            "CREATE INDEX poll_channels_channel_idx ON poll_channels (channel_id)",
        ]
    )
}
