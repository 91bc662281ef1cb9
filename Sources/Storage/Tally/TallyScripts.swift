import Redis

/// The Lua scripts that change a poll's tally atomically inside Redis.
///
/// Keys of one poll share the hash tag `{poll:<id>}` so they live on one Redis Cluster slot:
/// `meta` (hash: options, startedAt, endsAt, rule, status, version), `seen` (set of de-duplication keys),
/// `voters` (hash user id → `sentAt|channel|option|messageId`, unique rule), `messages` (hash message id →
/// `userId|channel|option`), `counts` (hash `channel|option` and `*|option` → count).
enum TallyScripts {
    /// Creates a poll's meta hash unless it exists. ARGV: options, startedAt, endsAt, rule. Returns 1 when created.
    static let register = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'options', ARGV[1], 'startedAt', ARGV[2], 'endsAt', ARGV[3], 'rule', ARGV[4],
          'status', 'running', 'version', 0)
        return 1
        """
    )

    /// Ends a running poll early. ARGV: endsAt (ms), outcome (`ended_early`, `cancelled` or `late`).
    /// The window only ever shrinks; the first outcome recorded wins; `ended_early` is recorded only when it really
    /// moves the end (an end-now during the grace period is a natural end). Returns `{status, endsAt, outcome}`.
    static let requestEnd = RedisScript(
        """
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then return {'missing', '', ''} end
        if status == 'running' then
          local ends = tonumber(redis.call('HGET', KEYS[1], 'endsAt') or ARGV[1])
          local requested = tonumber(ARGV[1])
          if requested < ends then
            redis.call('HSET', KEYS[1], 'endsAt', ARGV[1])
            redis.call('HSETNX', KEYS[1], 'outcome', ARGV[2])
          elseif ARGV[2] ~= 'ended_early' then
            redis.call('HSETNX', KEYS[1], 'outcome', ARGV[2])
          end
        end
        return {status, redis.call('HGET', KEYS[1], 'endsAt') or '', redis.call('HGET', KEYS[1], 'outcome') or ''}
        """
    )

    /// Freezes a poll's counts, if its state exists (never recreates an expired one). Returns 1 when closed.
    static let close = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'closed')
        return 1
        """
    )

    /// Counts a batch of votes for one poll. ARGV: notice channel, poll id, then per vote six fields:
    /// de-duplication key, message id, channel, user id, zero-based option, sentAt (ms).
    /// Returns `{accepted, duplicate, outsideWindow, invalid, closed, superseded, version}`.
    static let recordVotes = RedisScript(
        """
        local meta = redis.call('HMGET', KEYS[1], 'options', 'startedAt', 'endsAt', 'rule', 'status')
        local accepted, duplicate, outside, invalid, closed, superseded = 0, 0, 0, 0, 0, 0
        local count = (#ARGV - 2) / 6
        if not meta[1] or meta[5] ~= 'running' then
          return {0, 0, 0, 0, count, 0, tonumber(redis.call('HGET', KEYS[1], 'version') or '0')}
        end
        local options, started, ends, rule = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3]), meta[4]
        for i = 3, #ARGV, 6 do
          local key, msg, channel, user = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
          local option, sent = tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5])
          if option == nil or sent == nil or option < 0 or option >= options then
            invalid = invalid + 1
          elseif sent < started or sent > ends then
            outside = outside + 1
          elseif redis.call('SADD', KEYS[2], key) == 0 then
            duplicate = duplicate + 1
          else
            redis.call('HSET', KEYS[4], msg, user .. '|' .. channel .. '|' .. option)
            if rule == 'unique' then
              local previous = redis.call('HGET', KEYS[3], user)
              local newer = true
              if previous then
                local psent, pchannel, poption, pmsg = string.match(previous, '^(%-?%d+)|([^|]*)|(%-?%d+)|(.*)$')
                psent, poption = tonumber(psent), tonumber(poption)
                newer = sent > psent or (sent == psent and msg > pmsg)
                if newer and poption >= 0 then
                  redis.call('HINCRBY', KEYS[5], pchannel .. '|' .. poption, -1)
                  redis.call('HINCRBY', KEYS[5], '*|' .. poption, -1)
                end
              end
              if newer then
                redis.call('HSET', KEYS[3], user, sent .. '|' .. channel .. '|' .. option .. '|' .. msg)
                redis.call('HINCRBY', KEYS[5], channel .. '|' .. option, 1)
                redis.call('HINCRBY', KEYS[5], '*|' .. option, 1)
                accepted = accepted + 1
              else
                superseded = superseded + 1
              end
            else
              redis.call('HINCRBY', KEYS[5], channel .. '|' .. option, 1)
              redis.call('HINCRBY', KEYS[5], '*|' .. option, 1)
              accepted = accepted + 1
            end
          end
        end
        local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
        if accepted > 0 then
          version = redis.call('HINCRBY', KEYS[1], 'version', 1)
          redis.call('PUBLISH', ARGV[1], ARGV[2] .. ':' .. version)
        end
        return {accepted, duplicate, outside, invalid, closed, superseded, version}
        """
    )

    /// Removes the votes of moderated messages or users. ARGV: notice channel, poll id, kind (`message` or `user`),
    /// then ids. Returns the number of votes removed.
    static let removeVotes = RedisScript(
        """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status ~= 'running' then return 0 end
        local rule = redis.call('HGET', KEYS[1], 'rule')
        local removed = 0
        local function uncount(channel, option)
          redis.call('HINCRBY', KEYS[5], channel .. '|' .. option, -1)
          redis.call('HINCRBY', KEYS[5], '*|' .. option, -1)
          removed = removed + 1
        end
        local function remove_unique(user, only_msg)
          local current = redis.call('HGET', KEYS[3], user)
          if not current then return end
          local psent, pchannel, poption, pmsg = string.match(current, '^(%-?%d+)|([^|]*)|(%-?%d+)|(.*)$')
          if tonumber(poption) < 0 or (only_msg and pmsg ~= only_msg) then return end
          uncount(pchannel, poption)
          redis.call('HSET', KEYS[3], user, psent .. '||-1|' .. pmsg)
        end
        for i = 4, #ARGV do
          local id = ARGV[i]
          if ARGV[3] == 'message' then
            local entry = redis.call('HGET', KEYS[4], id)
            if entry then
              local user, channel, option = string.match(entry, '^([^|]*)|([^|]*)|(%-?%d+)$')
              if rule == 'unique' then
                remove_unique(user, id)
              else
                uncount(channel, option)
              end
              redis.call('HDEL', KEYS[4], id)
            end
          elseif rule == 'unique' then
            remove_unique(id, nil)
          else
            local all = redis.call('HGETALL', KEYS[4])
            for j = 1, #all, 2 do
              local user, channel, option = string.match(all[j + 1], '^([^|]*)|([^|]*)|(%-?%d+)$')
              if user == id then
                uncount(channel, option)
                redis.call('HDEL', KEYS[4], all[j])
              end
            end
          end
        end
        if removed > 0 then
          local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
          redis.call('PUBLISH', ARGV[1], ARGV[2] .. ':' .. version)
        end
        return removed
        """
    )

    /// Sets one channel's counts to a native poll's running totals (SUB-2: replace, never add). A count only ever
    /// grows, so a late or repeated event cannot take votes back. ARGV: notice channel, poll id, channel, then one
    /// count per option. Returns the version, or -1 when the poll is not running.
    static let setChannelCounts = RedisScript(
        """
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return -1 end
        local options = tonumber(redis.call('HGET', KEYS[1], 'options') or '0')
        local changed = false
        for i = 4, #ARGV do
          local option = i - 4
          local new = tonumber(ARGV[i])
          if option < options and new then
            local field = ARGV[3] .. '|' .. option
            local old = tonumber(redis.call('HGET', KEYS[2], field) or '0')
            if new > old then
              redis.call('HSET', KEYS[2], field, new)
              redis.call('HINCRBY', KEYS[2], '*|' .. option, new - old)
              changed = true
            end
          end
        end
        local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
        if changed then
          version = redis.call('HINCRBY', KEYS[1], 'version', 1)
          redis.call('PUBLISH', ARGV[1], ARGV[2] .. ':' .. version)
        end
        return version
        """
    )
}
