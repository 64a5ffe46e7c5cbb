--[[ append a batch of time-ordered events to a replay's source stream
  KEYS[1] source stream
  ARGV[1], ARGV[2] … : pairs of (channel time in ms, envelope json); ids become `<ms>-<seq>`
  returns: the number of entries the stream holds ]]

for i = 1, #ARGV, 2 do
  redis.call('XADD', KEYS[1], ARGV[i] .. '-*', 'e', ARGV[i + 1])
end
return redis.call('XLEN', KEYS[1])
