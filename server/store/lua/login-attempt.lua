--[[ reserve one login attempt before the password is checked, atomically, so
  parallel guesses cannot all slip past a check-then-increment
  KEYS[1] attempts from this address        (counter, expires after the window)
  KEYS[2] attempts for this user from here  (counter, expires after the window)
  KEYS[3] failures of this user, any address (counter, written on failure by the caller)
  KEYS[4] earliest next attempt for this user (ms timestamp, only while spaced out)
  ARGV[1] max per address  ARGV[2] max per user and address  ARGV[3] window in seconds
  ARGV[4] failures of a user before spacing  ARGV[5] first gap ms  ARGV[6] largest gap ms
  returns: { 1, 0 } allowed (both counters taken), or { 0, ms to wait } refused ]]
local perAddress, perUserAddress, windowSec = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local freeFails, gap, maxGap = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])

local function waitOf(key)
  local ms = redis.call('PTTL', key)
  if ms < 1 then return 1000 end
  return ms
end

if tonumber(redis.call('GET', KEYS[1]) or '0') >= perAddress then return { 0, waitOf(KEYS[1]) } end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= perUserAddress then return { 0, waitOf(KEYS[2]) } end

-- a user guessed at from many addresses: space attempts out (a delay that grows, never a lock-out)
local fails = tonumber(redis.call('GET', KEYS[3]) or '0')
if fails >= freeFails then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local nextAt = tonumber(redis.call('GET', KEYS[4]) or '0')
  if now < nextAt then return { 0, nextAt - now } end
  local wait = math.min(maxGap, gap * 2 ^ math.min(fails - freeFails, 30))
  redis.call('SET', KEYS[4], math.floor(now + wait), 'PX', math.floor(wait))
end

for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], windowSec) end
end
return { 1, 0 }
