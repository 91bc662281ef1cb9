extension Migration {
    /// Every migration of the schema, in version order. Append only: never edit an applied one.
    public static let all: [Migration] = [.initialSchema, .pollLifecycle, .nativePolls, .twitchBot]
}
