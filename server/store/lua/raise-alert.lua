--[[ raise an alert once: deduplicated by id across every instance
  KEYS[1] dedupe key of the alert id   KEYS[2] active alerts zset (score: time)
  KEYS[3] active alerts hash (id → json)   KEYS[4] alert stream
  KEYS[5] open set the subject must still be in (any key of the channel when ARGV[7] is absent)
  ARGV[1] alert id   ARGV[2] alert json   ARGV[3] time ms   ARGV[4] dedupe TTL seconds
  ARGV[5] alert stream MAXLEN   ARGV[6] most active alerts kept
  ARGV[7] subject, ARGV[8] its deadline in KEYS[5] (both optional: no check without them)
  returns: 1 raised, 0 seen before or no longer true ]]
if ARGV[7] and redis.call('ZSCORE', KEYS[5], ARGV[7]) ~= ARGV[8] then return 0 end
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[4])) == false then return 0 end
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'k', 'active', 'a', ARGV[2])
-- beyond the cap, the oldest active alerts leave the list (they stay in the stream)
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do redis.call('HDEL', KEYS[3], id) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return 1
