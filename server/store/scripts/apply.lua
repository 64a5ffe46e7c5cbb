#!lua
--[[ apply one event atomically: idempotency, subject state, counters up the
  region chain, open/pending/on-duty sets and the channel log.
  Lua does not roll back, so every read and every check that can fail comes
  first and the id is marked seen just before the first write: an event is
  either applied (or refused and logged) whole, or not touched at all. The
  shebang makes Redis refuse the whole script when out of memory, instead of
  failing at a write half way.
  KEYS[1] log stream   KEYS[2] seen key of the event id   KEYS[3] subject hash
  KEYS[4] channel stats hash
  Per-region keys are derived from ARGV[7] (the channel prefix, which carries
  the {channel} hash tag, so every key is in the same slot) with the suffixes
  of server/store/keys.ts: d: m: y: t: k: o:<feed>: p: w: pc: h:<feed>:
  ARGV[1] event json (normalised, stored in the log)
  ARGV[2] region chain of the event, deepest first, comma separated ('' = none)
  ARGV[3] day yyyymmdd of the event time (channel zone)   ARGV[4] 10-min bucket 0-143
  ARGV[5] transitions json {type: [[from...], to]} of the event's feed ('=' keeps, '<' back to prev)
  ARGV[6] intake deadline ms (hotline received, service accepted) or SLA hours (case reported), or ''
  ARGV[7] key prefix   ARGV[8] log MAXLEN   ARGV[9] seen-id TTL seconds
  ARGV[10] explicit deadline ms from attrs.deadline, or ''
  ARGV[11] grid code of the event's place when it is a grid, or ''
  returns: { status, detail }: 'applied' | 'outOfOrder' with the stream id,
  'duplicate' with '', 'invalid' with the reason (nothing written, id not seen) ]]

if redis.call('EXISTS', KEYS[2]) == 1 then
  return { 'duplicate', '' }
end

local function invalid(reason) return { 'invalid', reason } end

-- no single event moves a counter by more than this (ingest's own bounds are far lower),
-- so HINCRBY can never overflow and fail half way through an event
local MAX_STEP = 1000000000
local function count_step(v)
  local n = tonumber(v)
  if n == nil or n ~= math.floor(n) or n < 0 or n > MAX_STEP then return nil end
  return n
end

local decoded, ev = pcall(cjson.decode, ARGV[1])
if not decoded or type(ev) ~= 'table' then return invalid('event is not decodable JSON') end
local attrs = type(ev.attrs) == 'table' and ev.attrs or {}
local subj = KEYS[3]
local P = ARGV[7]
local day, bucket = ARGV[3], ARGV[4]
local at = tonumber(ev.at)
local explicitDeadline = tonumber(ARGV[10])
local seenTtl = tonumber(ARGV[9])
if at == nil then return invalid('at is not a number') end
if seenTtl == nil or seenTtl < 1 then return invalid('seen-id TTL must be at least 1 second') end
if type(ev.subject) ~= 'string' or type(ev.type) ~= 'string' then return invalid('subject and type must be strings') end
if not string.match(day, '^%d%d%d%d%d%d%d%d$') then return invalid('day must be yyyymmdd') end

-- the id is seen from the first write on: called by every path that writes
local function markSeen() redis.call('SET', KEYS[2], '1', 'EX', seenTtl) end

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
  markSeen()
  redis.call('HINCRBY', KEYS[4], 'outOfOrder', 1)
  return { 'outOfOrder', log(region or '', '0', category) }
end

local eventChain = split(ARGV[2])
local feed, etype = ev.feed, ev.type

-- grid workers: duty sets and flow counters in the region of the event
if feed == 'grid' then
  local region = eventChain[1] or ''
  local state = redis.call('HGET', subj, 'state')
  local households = 0
  if etype == 'visit' and attrs.households ~= nil then
    households = count_step(attrs.households)
    if households == nil then return invalid('attrs.households must be a whole number from 0 to ' .. MAX_STEP) end
  end
  if etype == 'position' then
    local loc = type(ev.location) == 'table' and ev.location or {}
    local lon, lat = tonumber(loc[1]), tonumber(loc[2])
    -- GEOADD refuses latitudes beyond ±85.05112878 (web mercator)
    if lon == nil or lat == nil or math.abs(lon) > 180 or math.abs(lat) > 85.05112878 then
      return invalid('location of a grid position must lie within ±180 / ±85.05112878')
    end
  end
  if (etype == 'offDuty' or etype == 'position') and state ~= 'ON' then return refuse(region) end
  local dutyChain = state == 'ON' and split(redis.call('HGET', subj, 'chain') or '') or {}
  markSeen()
  if etype == 'onDuty' then
    each(dutyChain, 'SREM', 'w:', ev.subject)
    redis.call('HSET', subj, 'state', 'ON', 'chain', ARGV[2])
    each(eventChain, 'SADD', 'w:', ev.subject)
  elseif etype == 'offDuty' then
    region = dutyChain[1]
    each(dutyChain, 'SREM', 'w:', ev.subject)
    redis.call('HSET', subj, 'state', 'OFF')
  elseif etype == 'position' then
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
    count(eventChain, day, 'gf.households', households)
    if attrs.role == 'agent' then count(eventChain, day, 'gf.agentVisits', 1) end -- service: 巡回代办 (定)
  elseif etype == 'alert' then
    count(eventChain, day, 'gf.alerts', 1)
    if attrs.severity == 'critical' then count(eventChain, day, 'gf.alertsCritical', 1) end
  end
  return { 'applied', log(region or '', '1') }
end

-- hotline calls have no subject state: flow counts by call day
if feed == 'hotline' and etype == 'call' then
  markSeen()
  count(eventChain, day, 'hf.calls', 1)
  if attrs.answered then count(eventChain, day, 'hf.answered', 1) end
  return { 'applied', log(eventChain[1] or '', '1') }
end

if feed ~= 'case' and feed ~= 'hotline' and feed ~= 'service' then return invalid('feed must be case, hotline, grid or service') end

-- case, hotline and service subjects: check the transition against the lifecycle table
-- a case's or work order's own history (applied and refused), the last 100 steps, for the tablet
local function remember(applied)
  local h = P .. 'h:' .. feed .. ':' .. ev.subject
  redis.call('RPUSH', h, cjson.encode({ type = etype, at = at, applied = applied }))
  redis.call('LTRIM', h, -100, -1)
end

local parsed, transitions = pcall(cjson.decode, ARGV[5])
if not parsed or type(transitions) ~= 'table' then return invalid('transitions are not decodable JSON') end
local s = redis.call('HMGET', subj, 'state', 'chain', 'iday', 'cday', 'deadline', 'category', 'sla')
local state, chainCsv, iday, cday, deadline = s[1] or '', s[2], s[3], s[4], tonumber(s[5])
local category, sla = s[6], tonumber(s[7])
local t = transitions[etype]
local allowed = false
if type(t) == 'table' and type(t[1]) == 'table' then for _, from in ipairs(t[1]) do if from == state then allowed = true end end end
if not allowed then
  local region = chainCsv and split(chainCsv)[1] or eventChain[1]
  local refused = refuse(region, category)
  if chainCsv then remember(false) end
  return refused
end
local to = t[2] == '=' and state or t[2]
if to == '<' then to = redis.call('HGET', subj, 'prev') end -- service resumed: back to the state before WAITING
if type(to) ~= 'string' then return invalid('transition target must be a state') end
if state == '' then chainCsv, iday = ARGV[2], day end
local chain = split(chainCsv)
local region = chain[1]

-- everything the writes below need, checked before the first of them
local intakeCategory = type(ev.category) == 'string' and ev.category or nil
if (etype == 'reported' or etype == 'received' or etype == 'accepted') and intakeCategory == nil then return invalid('category is required on intake') end
if feed == 'case' then
  if etype == 'reported' and tonumber(ARGV[6]) == nil then return invalid('SLA hours are required on case reported') end
  if etype == 'registered' then
    deadline = explicitDeadline or (sla and at + sla * 3600000)
    if deadline == nil then return invalid('the case has no SLA to take its deadline from') end
  end
  if (etype == 'disposed' or etype == 'rework' or (etype == 'closed' and state ~= 'REPORTED')) and cday == nil then
    return invalid('the case has no registration day')
  end
elseif feed == 'hotline' then
  if etype == 'received' then
    deadline = explicitDeadline or tonumber(ARGV[6])
    if deadline == nil then return invalid('a deadline is required on hotline received') end
    if type(attrs.kind) ~= 'string' then return invalid('attrs.kind is required on hotline received') end
  end
  if etype == 'reopened' and state == 'CLOSED' and deadline == nil then return invalid('the work order has no deadline') end
  if etype == 'rated' and type(attrs.satisfaction) ~= 'string' then return invalid('attrs.satisfaction is required on hotline rated') end
else
  -- ==== service (便民服务代办) checks: begin ====
  if etype == 'accepted' then
    deadline = explicitDeadline or tonumber(ARGV[6])
    if deadline == nil then return invalid('a deadline is required on service accepted') end
    if attrs.scope ~= 'local' and attrs.scope ~= 'outside' then return invalid('attrs.scope must be local or outside on service accepted') end
  elseif redis.call('HGET', subj, 'scope') == false then
    return invalid('the errand has no scope')
  end
  if etype == 'rated' and type(attrs.satisfaction) ~= 'string' then return invalid('attrs.satisfaction is required on service rated') end
  -- ==== service checks: end ====
end
if etype == 'extended' and explicitDeadline == nil then return invalid('attrs.deadline is required on extended') end
if iday == nil then return invalid('the subject has no intake day') end
local prevRating = etype == 'rated' and redis.call('HMGET', subj, 'sat', 'solved', 'contacted') or nil

markSeen()
local milestone = function(name) return redis.call('HSETNX', subj, 'm.' .. name, at) == 1 end
local onTime = function() return deadline ~= nil and at <= deadline end
local openKey = 'o:' .. feed .. ':'

if feed == 'case' then
  local dispute = string.sub(category or intakeCategory or '', 1, 8) == 'dispute.'
  if etype == 'reported' then
    redis.call('HSET', subj, 'chain', chainCsv, 'iday', day, 'category', intakeCategory,
      'sla', ARGV[6], 'priority', attrs.priority or 'normal')
    count(chain, day, 'c.reported', 1)
    intakeMarks(chain, intakeCategory)
    each(chain, 'SADD', 'p:', ev.subject)
  elseif etype == 'registered' then
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
elseif feed == 'hotline' then
  if etype == 'received' then
    redis.call('HSET', subj, 'chain', chainCsv, 'iday', day, 'category', intakeCategory,
      'kind', attrs.kind, 'deadline', deadline)
    count(chain, day, 'h.received', 1)
    count(chain, day, 'hk.' .. attrs.kind, 1)
    intakeMarks(chain, intakeCategory)
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
    local prev = prevRating
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
else
  -- ==== service (便民服务代办) writes: begin ====
  -- cohort counters by accepted day (iday), split by scope: s.<milestone>.<local|outside>
  local scope = etype == 'accepted' and attrs.scope or redis.call('HGET', subj, 'scope')
  if etype == 'accepted' then
    redis.call('HSET', subj, 'chain', chainCsv, 'iday', day, 'category', intakeCategory, 'scope', scope, 'deadline', deadline)
    milestone('accepted')
    count(chain, day, 's.accepted.' .. scope, 1)
    each(chain, 'ZADD', openKey, deadline, ev.subject)
  elseif etype == 'returnedForDocs' then
    redis.call('HSET', subj, 'prev', state)
  elseif etype == 'completed' then
    if milestone('completed') then
      count(chain, iday, 's.completed.' .. scope, 1)
      if onTime() then count(chain, iday, 's.completedOnTime.' .. scope, 1) end
      local since = tonumber(redis.call('HGET', subj, 'm.accepted')) or at
      count(chain, iday, 's.minutes', math.floor((at - since) / 60000))
    end
    each(chain, 'ZREM', openKey, ev.subject)
  elseif etype == 'withdrawn' then
    count(chain, iday, 's.withdrawn.' .. scope, 1)
    each(chain, 'ZREM', openKey, ev.subject)
  elseif etype == 'rated' then
    -- as 12345: the latest rating counts
    local prev = prevRating
    if prev[1] then
      count(chain, iday, 's.' .. prev[1], -1)
    else
      count(chain, iday, 's.rated', 1)
    end
    redis.call('HSET', subj, 'sat', attrs.satisfaction, 'solved', attrs.solved and '1' or '0', 'contacted', attrs.contacted and '1' or '0')
    count(chain, iday, 's.' .. attrs.satisfaction, 1)
  end
  -- ==== service writes: end ====
end

redis.call('HSET', subj, 'state', to)
remember(true)
return { 'applied', log(region, '1', redis.call('HGET', subj, 'category')) }
