--[[ the lease of a replay's driver: take it when free, renew it when ours, release it when ours
  KEYS[1] lease key
  ARGV[1] holder (instance id)   ARGV[2] time to live in ms, or '0' to release
  returns: 1 when the caller holds the lease (or held it, on release), 0 when another does ]]

local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return 1
end
if holder or ARGV[2] == '0' then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
