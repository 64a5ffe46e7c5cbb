--[[ apply one event atomically: idempotency, subject state, counters up the
  region chain, open/pending/on-duty sets and the channel log.
  KEYS[1] log stream   KEYS[2] seen key of the event id   KEYS[3] subject hash
  KEYS[4] channel stats hash
  Per-region keys are derived from ARGV[7] (the channel prefix, which carries
  the {channel} hash tag, so every key is in the same slot) with the suffixes
  of server/store/keys.ts: d: m: y: t: k: o:<feed>: p: w: pc: h:<feed>:
  ARGV[1] event json (normalised, stored in the log)
  ARGV[2] region chain of the event, deepest first, comma separated ('' = none)
  ARGV[3] day yyyymmdd of the event time (channel zone)   ARGV[4] 10-min bucket 0-143
  ARGV[5] transitions json {type: [[from...], to]} of the event's feed
  ARGV[6] intake deadline ms (hotline received) or SLA hours (case reported), or ''
  ARGV[7] key prefix   ARGV[8] log MAXLEN   ARGV[9] seen-id TTL seconds
  ARGV[10] explicit deadline ms from attrs.deadline, or ''
  ARGV[11] grid code of the event's place when it is a grid, or ''
  returns: { status ('applied' | 'outOfOrder' | 'duplicate'), stream id or '' } ]]

if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[9])) == false then
  return { 'duplicate', '' }
end

local ev = cjson.decode(ARGV[1])
local attrs = ev.attrs or {}
local subj = KEYS[3]
local P = ARGV[7]
local day, bucket = ARGV[3], ARGV[4]
local at = tonumber(ev.at)
local explicitDeadline = tonumber(ARGV[10])

local function split(s)
  local out = {}
  for code in string.gmatch(s, '[^,]+') do out[#out + 1] = code end
  return out
end

-- counters of a period: the day hash, its month and its year
local function count(chain, d, field, n)
  for _, r in ipairs(chain) do
    redis.call('HINCRBY', P .. 'd:' .. r .. ':' .. d, field, n)
    redis.call('HINCRBY', P .. 'm:' .. r .. ':' .. string.sub(d, 1, 6), field, n)
    redis.call('HINCRBY', P .. 'y:' .. r .. ':' .. string.sub(d, 1, 4), field, n)
  end
end
local function each(chain, cmd, suffix, ...)
  for _, r in ipairs(chain) do redis.call(cmd, P .. suffix .. r, ...) end
end
local function intakeMarks(chain, category)
  for _, r in ipairs(chain) do
    redis.call('HINCRBY', P .. 't:' .. r .. ':' .. day, bucket, 1)
    redis.call('HINCRBY', P .. 'k:' .. r .. ':' .. day, category, 1)
  end
end

-- the log entry: the event, the region it counts in, applied or refused, and
-- the subject's category so every step of a case shows what it is about
local function log(region, applied, category)
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[8], '*', 'e', ARGV[1], 'r', region, 'a', applied,
    'c', category or '')
end
local function refuse(region, category)
  redis.call('HINCRBY', KEYS[4], 'outOfOrder', 1)
  return { 'outOfOrder', log(region or '', '0', category) }
end

local eventChain = split(ARGV[2])
local feed, etype = ev.feed, ev.type

-- grid workers: duty sets and flow counters in the region of the event
if feed == 'grid' then
  local region = eventChain[1] or ''
  local state = redis.call('HGET', subj, 'state')
  if etype == 'onDuty' then
    if state == 'ON' then each(split(redis.call('HGET', subj, 'chain')), 'SREM', 'w:', ev.subject) end
    redis.call('HSET', subj, 'state', 'ON', 'chain', ARGV[2])
    each(eventChain, 'SADD', 'w:', ev.subject)
  elseif etype == 'offDuty' then
    if state ~= 'ON' then return refuse(region) end
    local chain = split(redis.call('HGET', subj, 'chain'))
    region = chain[1]
    each(chain, 'SREM', 'w:', ev.subject)
    redis.call('HSET', subj, 'state', 'OFF')
  elseif etype == 'position' then
    if state ~= 'ON' then return refuse(region) end
    redis.call('GEOADD', P .. 'geo', ev.location[1], ev.location[2], ev.subject)
  elseif etype == 'patrol' then
    count(eventChain, day, 'gf.patrols', 1)
    if ARGV[11] ~= '' then
      for _, r in ipairs(eventChain) do
        for _, period in ipairs({ day, string.sub(day, 1, 6), string.sub(day, 1, 4) }) do
          redis.call('SADD', P .. 'pc:' .. r .. ':' .. period, ARGV[11])
        end
      end
    end
  elseif etype == 'visit' then
    count(eventChain, day, 'gf.visits', 1)
    count(eventChain, day, 'gf.households', tonumber(attrs.households) or 0)
  elseif etype == 'alert' then
    count(eventChain, day, 'gf.alerts', 1)
    if attrs.severity == 'critical' then count(eventChain, day, 'gf.alertsCritical', 1) end
  end
  return { 'applied', log(region, '1') }
end

-- hotline calls have no subject state: flow counts by call day
if feed == 'hotline' and etype == 'call' then
  count(eventChain, day, 'hf.calls', 1)
  if attrs.answered then count(eventChain, day, 'hf.answered', 1) end
  return { 'applied', log(eventChain[1] or '', '1') }
end

-- case and hotline subjects: check the transition against the lifecycle table
-- a case's or work order's own history (applied and refused), the last 100 steps, for the tablet
local function remember(applied)
  local h = P .. 'h:' .. feed .. ':' .. ev.subject
  redis.call('RPUSH', h, cjson.encode({ type = etype, at = at, applied = applied }))
  redis.call('LTRIM', h, -100, -1)
end

local transitions = cjson.decode(ARGV[5])
local s = redis.call('HMGET', subj, 'state', 'chain', 'iday', 'cday', 'deadline')
local state, chainCsv, iday, cday, deadline = s[1] or '', s[2], s[3], s[4], tonumber(s[5])
local t = transitions[etype]
local allowed = false
if t then for _, from in ipairs(t[1]) do if from == state then allowed = true end end end
if not allowed then
  local region = eventChain[1]
  if chainCsv then
    region = split(chainCsv)[1]
    remember(false)
  end
  return refuse(region, redis.call('HGET', subj, 'category'))
end
local to = t[2] == '=' and state or t[2]
if state == '' then chainCsv, iday = ARGV[2], day end
local chain = split(chainCsv)
local region = chain[1]
local milestone = function(name) return redis.call('HSETNX', subj, 'm.' .. name, at) == 1 end
local onTime = function() return deadline ~= nil and at <= deadline end
local openKey = feed == 'case' and 'o:case:' or 'o:hotline:'

if feed == 'case' then
  local dispute = string.sub(redis.call('HGET', subj, 'category') or ev.category or '', 1, 8) == 'dispute.'
  if etype == 'reported' then
    redis.call('HSET', subj, 'chain', chainCsv, 'iday', day, 'category', ev.category,
      'sla', ARGV[6], 'priority', attrs.priority or 'normal')
    count(chain, day, 'c.reported', 1)
    intakeMarks(chain, ev.category)
    each(chain, 'SADD', 'p:', ev.subject)
  elseif etype == 'registered' then
    deadline = explicitDeadline or (at + tonumber(redis.call('HGET', subj, 'sla')) * 3600000)
    cday = day
    redis.call('HSET', subj, 'cday', day, 'deadline', deadline)
    count(chain, iday, 'c.reportedRegistered', 1)
    count(chain, day, 'c.registered', 1)
    each(chain, 'SREM', 'p:', ev.subject)
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'cancelled' then
    each(chain, 'SREM', 'p:', ev.subject)
  elseif etype == 'extended' then
    deadline = explicitDeadline
    redis.call('HSET', subj, 'deadline', deadline)
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'disposed' then
    if milestone('disposed') then
      count(chain, cday, 'c.disposed', 1)
      if onTime() then count(chain, cday, 'c.disposedOnTime', 1) end
    end
  elseif etype == 'rework' then
    if milestone('reworked') then count(chain, cday, 'c.reworked', 1) end
  elseif etype == 'closed' then
    count(chain, day, 'cf.closed', 1)
    if state == 'REPORTED' then
      count(chain, iday, 'c.selfClosed', 1)
      each(chain, 'SREM', 'p:', ev.subject)
    else
      count(chain, cday, 'c.closedRegistered', 1)
      if onTime() then count(chain, cday, 'c.closedOnTime', 1) end
      each(chain, 'ZREM', openKey, ev.subject)
    end
    if dispute then
      count(chain, cday or iday, 'c.disputeClosed', 1)
      if attrs.outcome == 'success' then count(chain, cday or iday, 'c.disputeSuccess', 1) end
    end
  elseif etype == 'urged' then
    count(chain, day, 'cf.urged', 1)
  end
else
  if etype == 'received' then
    deadline = explicitDeadline or tonumber(ARGV[6])
    redis.call('HSET', subj, 'chain', chainCsv, 'iday', day, 'category', ev.category,
      'kind', attrs.kind, 'deadline', deadline)
    count(chain, day, 'h.received', 1)
    count(chain, day, 'hk.' .. attrs.kind, 1)
    intakeMarks(chain, ev.category)
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'extended' then
    deadline = explicitDeadline
    redis.call('HSET', subj, 'deadline', deadline)
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'directClosed' or etype == 'closed' then
    count(chain, day, 'hf.closed', 1)
    if milestone('closed') then
      count(chain, iday, 'h.closed', 1)
      if etype == 'directClosed' then count(chain, iday, 'h.directClosed', 1) end
      if onTime() then count(chain, iday, 'h.closedOnTime', 1) end
    end
    each(chain, 'ZREM', openKey, ev.subject)
  elseif etype == 'reopened' and state == 'CLOSED' then
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'urged' then
    count(chain, day, 'hf.urged', 1)
  elseif etype == 'voided' then
    count(chain, iday, 'h.voided', 1)
    each(chain, 'ZREM', openKey, ev.subject)
  elseif etype == 'rated' then
    -- a subject's satisfaction is its latest rating: replace the previous one
    local prev = redis.call('HMGET', subj, 'sat', 'solved', 'contacted')
    if prev[1] then
      count(chain, iday, 'h.' .. prev[1], -1)
      if prev[2] == '1' then count(chain, iday, 'h.solved', -1) end
      if prev[3] == '1' then count(chain, iday, 'h.contacted', -1) end
    else
      count(chain, iday, 'h.rated', 1)
    end
    local solved, contacted = attrs.solved and '1' or '0', attrs.contacted and '1' or '0'
    redis.call('HSET', subj, 'sat', attrs.satisfaction, 'solved', solved, 'contacted', contacted)
    count(chain, iday, 'h.' .. attrs.satisfaction, 1)
    if solved == '1' then count(chain, iday, 'h.solved', 1) end
    if contacted == '1' then count(chain, iday, 'h.contacted', 1) end
  end
end

redis.call('HSET', subj, 'state', to)
remember(true)
return { 'applied', log(region, '1', redis.call('HGET', subj, 'category')) }
