--[[ change a replay channel's clock in its meta hash, atomically, from any instance
  The clock is base (virtual ms) at wallBase (wall ms), advancing at speed
  unless paused or seeking; every change rebases it and bumps rev.
  KEYS[1] channel meta hash
  ARGV[1] op: 'set' (pause, resume, speed) | 'seek' (freeze at a target and ask
          the driver for a rebuild: epoch + 1) | 'built' (the rebuild of an epoch is done)
  ARGV[2] the caller's wall-clock ms
  ARGV[3] paused: '1', '0' or '' (keep)   ARGV[4] speed, or '' (keep)
  ARGV[5] seek: target ms; built: the epoch that was rebuilt
  ARGV[6] built: source id of the last event re-applied   ARGV[7] built: how many
  returns: { status, field, value, ... } with status 'ok' and the meta hash after
           the change, 'gone' (no such channel) or 'stale' (built: a newer seek is pending) ]]

local meta = KEYS[1]
if redis.call('EXISTS', meta) == 0 then return { 'gone' } end
local op, wall = ARGV[1], tonumber(ARGV[2])
local h = redis.call('HMGET', meta, 'base', 'wallBase', 'speed', 'paused', 'seeking', 'epoch')
local base, wallBase, speed = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
local now = base
if h[4] ~= '1' and h[5] ~= '1' then now = base + (wall - wallBase) * speed end
local function ms(x) return string.format('%.0f', math.floor(x)) end

if op == 'set' then
  redis.call('HSET', meta, 'base', ms(now), 'wallBase', ARGV[2])
elseif op == 'seek' then
  redis.call('HSET', meta, 'base', ARGV[5], 'wallBase', ARGV[2], 'seeking', '1', 'seekTo', ARGV[5])
  redis.call('HINCRBY', meta, 'epoch', 1)
elseif op == 'built' then
  if h[6] ~= ARGV[5] then return { 'stale' } end
  -- the clock resumes from the target (base) now; the overdue scanner starts over
  redis.call('HSET', meta, 'wallBase', ARGV[2], 'seeking', '0', 'builtEpoch', ARGV[5], 'fed', ARGV[6], 'fedCount', ARGV[7])
  redis.call('HDEL', meta, 'overdueScannedTo')
else
  return redis.error_reply('unknown op ' .. op)
end
if ARGV[3] ~= '' then redis.call('HSET', meta, 'paused', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', meta, 'speed', ARGV[4]) end
redis.call('HINCRBY', meta, 'rev', 1)
local out = { 'ok' }
for _, v in ipairs(redis.call('HGETALL', meta)) do out[#out + 1] = v end
return out
