namespace Services.PubSub.State.Redis;

/// <summary>
/// The Lua scripts of the Redis store; each runs atomically in Redis, so a change, its sequence number and its
/// announcement on the events channel can never be seen apart or out of order. A topic is the hash "{prefix}t:{id}"
/// with fields c (the configuration record, <see cref="TopicRecord"/> without a value), g (the configuration's number),
/// v (the value record, absent before the first publication or after a clear) and s (the value's number); the
/// keys "{prefix}n:{name}" and "{prefix}d:{data id}" hold the id and keep names and topic-data unique; the set
/// "{prefix}ids" lists the ids. All of a topic's keys carry its expiration-date as their TTL. Events: "c {id}"
/// (created or reconfigured: read it again), "v {id} {s} {value record}", "x {id} {s}" (cleared), "d {id}" (deleted).
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS hash, name, data, ids; ARGV id, configuration, value ('' for none), expire-at ms ('0' for none), channel. Returns ok, id, name or data (taken).</summary>
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 'id' end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 'name' end
        if redis.call('EXISTS', KEYS[3]) == 1 then return 'data' end
        redis.call('HSET', KEYS[1], 'c', ARGV[2], 'g', 1, 's', 0)
        if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'v', ARGV[3], 's', 1) end
        redis.call('SET', KEYS[2], ARGV[1])
        redis.call('SET', KEYS[3], ARGV[1])
        redis.call('SADD', KEYS[4], ARGV[1])
        if ARGV[4] ~= '0' then
          for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], ARGV[4]) end
        end
        redis.call('PUBLISH', ARGV[5], 'c ' .. ARGV[1])
        return 'ok'
        """;

    /// <summary>KEYS hash, name, data; ARGV id, configuration, expected g, value ('' for none), expire-at ms ('0'), channel. Returns {g, s}, {-1} gone, {-2} changed meanwhile.</summary>
    public const string Reconfigure = """
        local g = redis.call('HGET', KEYS[1], 'g')
        if not g then return {-1} end
        if g ~= ARGV[3] then return {-2} end
        local ng = redis.call('HINCRBY', KEYS[1], 'g', 1)
        redis.call('HSET', KEYS[1], 'c', ARGV[2])
        local s = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
        if ARGV[4] ~= '' then
          s = redis.call('HINCRBY', KEYS[1], 's', 1)
          redis.call('HSET', KEYS[1], 'v', ARGV[4])
        end
        for i = 1, 3 do
          if ARGV[5] ~= '0' then redis.call('PEXPIREAT', KEYS[i], ARGV[5]) else redis.call('PERSIST', KEYS[i]) end
        end
        redis.call('PUBLISH', ARGV[6], 'c ' .. ARGV[1])
        return {ng, s}
        """;

    /// <summary>KEYS hash; ARGV id, value, channel. Returns {s, 1 if it replaced a value}, or {-1, 0} when the topic is gone.</summary>
    public const string Publish = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
        local had = redis.call('HEXISTS', KEYS[1], 'v')
        local s = redis.call('HINCRBY', KEYS[1], 's', 1)
        redis.call('HSET', KEYS[1], 'v', ARGV[2])
        redis.call('PUBLISH', ARGV[3], 'v ' .. ARGV[1] .. ' ' .. s .. ' ' .. ARGV[2])
        return {s, had}
        """;

    /// <summary>KEYS hash; ARGV id, channel. Returns the clear's s, or -1 when the topic is gone.</summary>
    public const string Clear = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local s = redis.call('HINCRBY', KEYS[1], 's', 1)
        redis.call('HDEL', KEYS[1], 'v')
        redis.call('PUBLISH', ARGV[2], 'x ' .. ARGV[1] .. ' ' .. s)
        return s
        """;

    /// <summary>
    /// KEYS hash, name, data, ids, gone; ARGV id, channel, how long a deletion is remembered (ms), how many at most.
    /// Returns 1 when the topic was there; the name and data keys go only if they are still this topic's. The id goes
    /// into the sorted set "gone" (scored by Redis's clock) so that a host putting back what it holds after Redis lost
    /// its data does not bring it back (<see cref="Restore"/>); the oldest are dropped beyond the age or the count.
    /// </summary>
    public const string Delete = """
        local n = redis.call('DEL', KEYS[1])
        for i = 2, 3 do
          if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
        end
        redis.call('SREM', KEYS[4], ARGV[1])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[5], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[3]))
        redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -(tonumber(ARGV[4]) + 1))
        redis.call('PUBLISH', ARGV[2], 'd ' .. ARGV[1])
        return n
        """;

    /// <summary>KEYS ids; ARGV prefix. Returns {id, c, g, v or '', s} for every topic, dropping the ids whose hash expired.</summary>
    public const string LoadAll = """
        local out = {}
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local f = redis.call('HMGET', ARGV[1] .. 't:' .. id, 'c', 'g', 'v', 's')
          if f[1] then
            out[#out + 1] = {id, f[1], f[2] or '0', f[3] or '', f[4] or '0'}
          else
            redis.call('SREM', KEYS[1], id)
          end
        end
        return out
        """;

    /// <summary>
    /// Puts back a topic a host still holds after Redis lost its data: KEYS hash, name, data, ids, gone; ARGV id,
    /// configuration, g, value ('' for none), s, expire-at ms ('0'), channel. A topic Redis has keeps whichever
    /// configuration (with its expiration as the keys' TTL) and value carry the higher number; one deleted since Redis came back (in "gone", see
    /// <see cref="Delete"/>) is not put back.
    /// </summary>
    public const string Restore = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          if redis.call('ZSCORE', KEYS[5], ARGV[1]) then return 0 end
          if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
          redis.call('HSET', KEYS[1], 'c', ARGV[2], 'g', ARGV[3], 's', ARGV[5])
          if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'v', ARGV[4]) end
          redis.call('SET', KEYS[2], ARGV[1])
          redis.call('SET', KEYS[3], ARGV[1])
          redis.call('SADD', KEYS[4], ARGV[1])
          if ARGV[6] ~= '0' then
            for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], ARGV[6]) end
          end
          redis.call('PUBLISH', ARGV[7], 'c ' .. ARGV[1])
          return 1
        end
        local changed = false
        if tonumber(ARGV[5]) > tonumber(redis.call('HGET', KEYS[1], 's') or '0') then
          redis.call('HSET', KEYS[1], 's', ARGV[5])
          if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'v', ARGV[4]) else redis.call('HDEL', KEYS[1], 'v') end
          changed = true
        end
        if tonumber(ARGV[3]) > tonumber(redis.call('HGET', KEYS[1], 'g') or '0') then
          redis.call('HSET', KEYS[1], 'c', ARGV[2], 'g', ARGV[3])
          for i = 1, 3 do
            if ARGV[6] ~= '0' then redis.call('PEXPIREAT', KEYS[i], ARGV[6]) else redis.call('PERSIST', KEYS[i]) end
          end
          changed = true
        end
        if changed then redis.call('PUBLISH', ARGV[7], 'c ' .. ARGV[1]) end
        return 1
        """;
}
