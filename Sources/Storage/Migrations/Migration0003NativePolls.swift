extension Migration {
    /// Version 3: why a channel asked for a native poll runs chat voting instead.
    static let nativePolls = Migration(
        version: 3,
        name: "native_polls",
        statements: [
            "ALTER TABLE poll_channels ADD COLUMN native_error text"
        ]
    )
}
