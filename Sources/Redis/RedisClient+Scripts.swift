extension RedisClient {
    /// Runs a script with `EVALSHA`; on `NOSCRIPT` loads it (`SCRIPT LOAD`) and retries once.
    /// - Parameters:
    ///   - script: The script to run.
    ///   - keys: The `KEYS` passed to the script.
    ///   - arguments: The `ARGV` passed to the script.
    /// - Throws: ``RedisError`` as ``execute(_:)-(RedisCommand)`` does; a script error is code `server`.
    public func evalScript(_ script: RedisScript, keys: [String], arguments: [String]) async throws(RedisError) -> RESPValue {
        let results = try await self.evalScripts([(script: script, keys: keys, arguments: arguments)])
        guard let result = results.first else {
            throw RedisError(.protocolError, message: "no reply for EVALSHA")
        }
        return try result.get()
    }

    /// Runs a pipelined batch of `EVALSHA` calls; results are in call order.
    ///
    /// Calls answered `NOSCRIPT` are retried once, in a second pipelined batch that first loads
    /// each missing script once (`SCRIPT LOAD`); calls that succeeded the first time are never re-sent.
    /// Throws only when the first batch fails in transport; if the retry batch fails in transport,
    /// the retried calls carry that error and the others keep their results.
    public func evalScripts(
        _ calls: [(script: RedisScript, keys: [String], arguments: [String])]
    ) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        let commands = calls.map { Self.evalCommand(script: $0.script, keys: $0.keys, arguments: $0.arguments) }
        var results = try await self.execute(commands)
        let missing = results.indices.filter { index in
            if case .failure(let error) = results[index], error.code == .noScript { return true }
            return false
        }
        guard !missing.isEmpty else { return results }

        var scriptsToLoad: [RedisScript] = []
        var loadIndex: [String: Int] = [:]
        for index in missing where loadIndex[calls[index].script.sha1] == nil {
            loadIndex[calls[index].script.sha1] = scriptsToLoad.count
            scriptsToLoad.append(calls[index].script)
        }
        let retry = scriptsToLoad.map { RedisCommand("SCRIPT", "LOAD", $0.source) } + missing.map { commands[$0] }
        let retried: [Result<RESPValue, RedisError>]
        do {
            retried = try await self.execute(retry)
        } catch {
            for index in missing {
                results[index] = .failure(error)
            }
            return results
        }
        for (offset, index) in missing.enumerated() {
            let load = retried[loadIndex[calls[index].script.sha1]!]
            if case .failure(let loadError) = load {
                results[index] = .failure(loadError)
            } else {
                results[index] = retried[scriptsToLoad.count + offset]
            }
        }
        return results
    }

    /// `EVALSHA sha numkeys key… arg…`.
    static func evalCommand(script: RedisScript, keys: [String], arguments: [String]) -> RedisCommand {
        RedisCommand("EVALSHA", [script.sha1, String(keys.count)] + keys + arguments)
    }
}
