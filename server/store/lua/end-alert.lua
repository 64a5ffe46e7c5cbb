--[[ end an active alert (resolved or acknowledged) once
  KEYS[1] active alerts zset   KEYS[2] active alerts hash   KEYS[3] alert stream
  ARGV[1] alert id   ARGV[2] new state: resolved | acknowledged   ARGV[3] alert stream MAXLEN
  returns: the alert json when it was active, false otherwise ]]
local json = redis.call('HGET', KEYS[2], ARGV[1])
if not json then return false end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'k', ARGV[2], 'a', json)
return json
