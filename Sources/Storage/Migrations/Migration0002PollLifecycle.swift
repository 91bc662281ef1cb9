extension Migration {
    /// Version 2: what the poll lifecycle needs: soft-removed channels, derivable overlay tokens, the requested poll
    /// mode, the final tally version, the idempotency fingerprint and why a poll ended.
    static let pollLifecycle = Migration(
        version: 2,
        name: "poll_lifecycle",
        statements: [
            "ALTER TABLE channels ADD COLUMN removed_at timestamptz",
            "ALTER TABLE channels ADD COLUMN overlay_token_nonce bytea",
            "ALTER TABLE polls ADD COLUMN mode text NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'chat', 'native'))",
            "ALTER TABLE polls ADD COLUMN tally_version bigint",
            "ALTER TABLE polls ADD COLUMN idempotency_fingerprint bytea",
            "ALTER TABLE polls ADD COLUMN end_reason text",
        ]
    )
}
