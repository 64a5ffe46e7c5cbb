#!lua
--[[ apply one event atomically: idempotency, subject state, counters up the
  region chain, open/pending/on-duty sets and the channel log.
  Lua does not roll back, so every read and every check that can fail comes
  first and the id is marked seen just before the first write: an event is
  either applied (or parked and logged) whole, or not touched at all. The
  shebang makes Redis refuse the whole script when out of memory, instead of
  failing at a write half way.

  Arrival order does not matter (DESIGN §5): a case, work order or errand keeps its
  own events, in event-time order, in its event list (KEYS[5]). Its state and
  everything it adds to counters and sets is derived from that list: each
  event in time order, an event that does not fit the state at its place is
  parked and tried again after every later step. A new event is inserted at
  its time, the subject is derived before and after, and only the difference
  is written. So a late predecessor un-parks its successors, and a late step
  re-judges what came after it, exactly as if all had arrived in order.
  Parked events are indexed in KEYS[6] by when they were parked (channel
  time); park-sweep.lua refuses those still parked after the window. An event
  logged parked ('p') and applied by a later call is logged again then, as
  'u', after the entry of the event that let it fit, so screens see it applied:
  once, as an entry parked again after it was applied is marked (r) and gets none.
  Grid workers keep no list: the latest onDuty/offDuty by event time decides;
  an offDuty with no onDuty before it is parked in KEYS[5] until one arrives.

  KEYS[1] log stream   KEYS[2] seen key of the event id   KEYS[3] subject hash
  KEYS[4] channel stats hash   KEYS[5] the subject's event list (JSON string)
    (an entry: id, t time, e the event's JSON, y its type and v what derive reads of it beyond
    the type, c chain, d day, b bucket, i intake, x deadline, q pauses, p parked since, r re-parked;
    entries without y or v, stored before they were kept, are derived from e)
  KEYS[6] parked index (zset: JSON {feed, subject, id} scored by park time)
  Per-region keys are derived from ARGV[7] (the channel prefix, which carries
  the {channel} hash tag, so every key is in the same slot) with the suffixes
  K of server/store/keys.ts (day, month, year, trend, categories, open, pending,
  onDuty, patrolled, recent, recentFrom, and the channel's ended subjects).
  Declared before this script when it is loaded (server/store/lua-header.ts):
  K key suffixes, C and CF counter names, SC(scope, milestone) the 代办 ones (server/domain/counters.ts), and
  transitionsOf(feed), the lifecycle of a feed as a function of (type, state) (server/domain/lifecycles.ts).
  ARGV[1] event json (normalised, stored in the log)
  ARGV[2] region chain of the event, deepest first, comma separated ('' = none)
  ARGV[3] day yyyymmdd of the event time (channel zone)   ARGV[4] 10-min bucket 0-143
  ARGV[5] channel now ms (when a parked event was parked; default the event time)
  ARGV[6] intake deadline ms (hotline received, service accepted) or SLA hours (case reported), or ''
  ARGV[7] key prefix   ARGV[8] log MAXLEN   ARGV[9] seen-id TTL seconds
  ARGV[10] explicit deadline ms from attrs.deadline, or ''
  ARGV[11] grid code of the event's place when it is a grid, or ''
  ARGV[12] '1' on a service accepted whose item stops its clock during 补正 (pausesOnDocs), else ''
  returns: { status, detail }: 'applied' | 'outOfOrder' (parked) with the stream id,
  'duplicate' with '', 'invalid' with the reason (nothing written, id not seen) ]]

if redis.call('EXISTS', KEYS[2]) == 1 then
  return { 'duplicate', '' }
end

-- no single event moves a counter by more than this (ingest's own bounds are far lower),
-- so HINCRBY can never overflow and fail half way through an event
local MAX_STEP = 1000000000
-- a subject's event list is derived on every event: keep it bounded
local MAX_SUBJECT_EVENTS = 200

local decoded, ev = pcall(cjson.decode, ARGV[1])
if not decoded or type(ev) ~= 'table' then return { 'invalid', 'event is not decodable JSON' } end
local attrs = type(ev.attrs) == 'table' and ev.attrs or {}
local subj = KEYS[3]
local P = ARGV[7]
local day, bucket = ARGV[3], ARGV[4]
local at = tonumber(ev.at)
local explicitDeadline = tonumber(ARGV[10])
local seenTtl = tonumber(ARGV[9])
local now = tonumber(ARGV[5]) or at
if at == nil then return { 'invalid', 'at is not a number' } end
if seenTtl == nil or seenTtl < 1 then return { 'invalid', 'seen-id TTL must be at least 1 second' } end
if type(ev.subject) ~= 'string' or type(ev.type) ~= 'string' then return { 'invalid', 'subject and type must be strings' } end
if not string.match(day, '^%d%d%d%d%d%d%d%d$') then return { 'invalid', 'day must be yyyymmdd' } end

-- a number as a command argument: Redis prints a Lua number with snprintf('%.17g') on every call,
-- slow for a double (a HINCRBY of 1 cost more in formatting than in the hash); a whole number below
-- 1e15 has the same digits as text ('%d'), and the usual ±1 are constants. Anything else is left as it is.
local function numArg(n)
  if n == 1 then return '1' elseif n == -1 then return '-1' end
  if type(n) == 'number' and n == math.floor(n) and n > -1e15 and n < 1e15 then return string.format('%d', n) end
  return n
end
local seenTtlArg = numArg(seenTtl)
-- the id is seen from the first write on: every path that writes SETs KEYS[2] to '1' for this TTL

-- a comma separated chain as a list, split once per text in a call (the event's chain, its subject's,
-- a worker's): callers only read the lists
local splitMemo = {}
local function split(s)
  s = s or ''
  local out = splitMemo[s]
  if out then return out end
  out = {}
  for code in string.gmatch(s, '[^,]+') do out[#out + 1] = code end
  splitMemo[s] = out
  return out
end

-- Every call of the script builds a closure for each function it defines, used or not (measured:
-- ~20 closures cost ~8 % of apply.lua's time): functions of one path are defined on that path only,
-- and one-use helpers are written where they are used.
-- counters of a period: the day hash, its month and its year (grid events and hotline calls)
local count, each
if ev.feed == 'grid' or ev.type == 'call' then
  count = function(chain, d, field, n)
    local month, year = string.sub(d, 1, 6), string.sub(d, 1, 4)
    n = numArg(n)
    for _, r in ipairs(chain) do
      redis.call('HINCRBY', P .. K.day .. r .. ':' .. d, field, n)
      redis.call('HINCRBY', P .. K.month .. r .. ':' .. month, field, n)
      redis.call('HINCRBY', P .. K.year .. r .. ':' .. year, field, n)
    end
  end
  each = function(chain, cmd, suffix, ...)
    for _, r in ipairs(chain) do redis.call(cmd, P .. suffix .. r, ...) end
  end
end

-- >>> per-region recent events (issue 11): the newest stream ids of every region along the
-- chain of the entry's region, so a quiet region's snapshot reads its own list instead of
-- scanning the log (server/store/read-snapshot.ts). rl:from is the first entry listed:
-- older entries (written before the lists existed) are found by scanning.
-- (written in log below, after the log entry: its stream id is what the lists hold)
local RECENT_MAX, RECENT_SLACK = 100, 20

-- the log entry: the event, the region it counts in, applied ('1') or parked ('p') on arrival,
-- or applied later ('u', an earlier parked event: json is its event),
-- and the subject's category so every step of a case shows what it is about
-- (chain: the region's chain when the caller holds it, deepest first)
local function log(region, applied, category, chain, json)
  local sid = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[8], '*', 'e', json or ARGV[1], 'r', region, 'a', applied,
    'c', category or '')
  if region == '' then return sid end
  -- the chain of the region: the caller's when it holds it, else the event's, the subject's, or the region alone
  if not (chain and chain[1] == region) then
    chain = split(ARGV[2])
    if chain[1] ~= region then
      chain = split(redis.call('HGET', subj, 'chain') or '')
      if chain[1] ~= region then chain = { region } end
    end
  end
  for _, r in ipairs(chain) do
    local key = P .. K.recent .. r
    local n = redis.call('LPUSH', key, sid)
    if n == 1 then redis.call('SET', P .. K.recentFrom, sid, 'NX') end -- a first list: lists begin here unless they began before
    if n > RECENT_MAX + RECENT_SLACK then redis.call('LTRIM', key, 0, RECENT_MAX - 1) end
  end
  -- <<< per-region recent events
  return sid
end
local function parkedMember(feed, subject, id) return cjson.encode({ feed = feed, subject = subject, id = id }) end
-- the list, and the stored text it was decoded from (nil when none is stored)
local function loadList()
  local raw = redis.call('GET', KEYS[5])
  if not raw then return {}, nil end
  local ok, list = pcall(cjson.decode, raw)
  return (ok and type(list) == 'table') and list or {}, raw
end
local function saveList(list)
  if #list == 0 then redis.call('DEL', KEYS[5]) else redis.call('SET', KEYS[5], cjson.encode(list)) end
end
-- insert at its event time, after every entry of the same or an earlier time (arrival breaks ties)
local function insertByTime(list, entry)
  local pos = #list + 1
  while pos > 1 and list[pos - 1].t > entry.t do pos = pos - 1 end
  table.insert(list, pos, entry)
end

local eventChain = split(ARGV[2])
local feed, etype = ev.feed, ev.type

-- grid workers: duty sets and flow counters in the region of the event
if feed == 'grid' then
  local region = eventChain[1] or ''
  local households = 0
  if etype == 'visit' and attrs.households ~= nil then
    households = tonumber(attrs.households) -- a whole number of households, 0 to MAX_STEP
    if households ~= nil and (households ~= math.floor(households) or households < 0 or households > MAX_STEP) then households = nil end
    if households == nil then return { 'invalid', 'attrs.households must be a whole number from 0 to ' .. MAX_STEP } end
  end
  if etype == 'position' then
    local loc = type(ev.location) == 'table' and ev.location or {}
    local lon, lat = tonumber(loc[1]), tonumber(loc[2])
    -- GEOADD refuses latitudes beyond ±85.05112878 (web mercator)
    if lon == nil or lat == nil or math.abs(lon) > 180 or math.abs(lat) > 85.05112878 then
      return { 'invalid', 'location of a grid position must lie within ±180 / ±85.05112878' }
    end
  end
  if etype == 'onDuty' or etype == 'offDuty' then
    local w = redis.call('HMGET', subj, 'state', 'chain', 'dat', 'fon')
    local wstate, wchain, dat, fon = w[1], w[2], tonumber(w[3]), tonumber(w[4])
    if fon == nil and wstate then fon = 0 end -- a worker stored before duty times were kept had been on duty
    local parked, parkedRaw = loadList()
    redis.call('SET', KEYS[2], '1', 'EX', seenTtlArg) -- seen
    -- the latest duty event by event time decides (equal times: the later arrival)
    local function duty(typ, t, chainCsv)
      if dat ~= nil and t < dat then return end
      if wstate == 'ON' then each(split(wchain), 'SREM', K.onDuty, ev.subject) end
      if typ == 'onDuty' then
        wstate, wchain = 'ON', chainCsv
        each(split(wchain), 'SADD', K.onDuty, ev.subject)
      else
        wstate = 'OFF'
      end
      dat = t
    end
    local status = '1'
    local unparkedOff = {} -- logged as 'u' after this event
    if etype == 'onDuty' then
      if fon == nil or at < fon then fon = at end
      duty('onDuty', at, ARGV[2])
      -- offDuty events parked for want of an earlier onDuty take effect now, in time order
      local still = {}
      for _, p in ipairs(parked) do
        if p.t >= fon then
          duty('offDuty', p.t, '')
          redis.call('ZREM', KEYS[6], parkedMember(feed, ev.subject, p.id))
          unparkedOff[#unparkedOff + 1] = p.e
        else
          still[#still + 1] = p
        end
      end
      parked = still
    elseif fon ~= nil and at >= fon then
      duty('offDuty', at, '')
      local workerChain = split(wchain)
      if workerChain[1] then region, eventChain = workerChain[1], workerChain end
    else
      if #parked >= MAX_SUBJECT_EVENTS then return { 'invalid', 'too many parked events for this worker' } end
      insertByTime(parked, { id = ev.id, t = at, e = ARGV[1], c = ARGV[2], p = now })
      redis.call('ZADD', KEYS[6], numArg(now), parkedMember(feed, ev.subject, ev.id))
      redis.call('HINCRBY', KEYS[4], 'outOfOrder', '1')
      status = 'p'
    end
    if parkedRaw or #parked > 0 then saveList(parked) end -- nothing was or is parked: no write
    if wstate then
      local fields = { 'state', wstate, 'chain', wchain or '' }
      if dat then fields[#fields + 1] = 'dat'; fields[#fields + 1] = numArg(dat) end
      if fon then fields[#fields + 1] = 'fon'; fields[#fields + 1] = numArg(fon) end
      redis.call('HSET', subj, unpack(fields))
    end
    local sid = log(region, status, nil, eventChain)
    for _, json in ipairs(unparkedOff) do log(region, 'u', nil, eventChain, json) end
    return { status == '1' and 'applied' or 'outOfOrder', sid }
  end
  redis.call('SET', KEYS[2], '1', 'EX', seenTtlArg) -- seen
  if etype == 'position' then
    -- the latest position by event time is where the worker is
    local pat = tonumber(redis.call('HGET', subj, 'pat'))
    if pat == nil or at >= pat then
      redis.call('GEOADD', P .. K.workerGeo, ev.location[1], ev.location[2], ev.subject)
      redis.call('HSET', subj, 'pat', numArg(at))
    end
  elseif etype == 'patrol' then
    count(eventChain, day, C.patrols, 1)
    if ARGV[11] ~= '' then
      for _, r in ipairs(eventChain) do
        for _, period in ipairs({ day, string.sub(day, 1, 6), string.sub(day, 1, 4) }) do
          redis.call('SADD', P .. K.patrolled .. r .. ':' .. period, ARGV[11])
        end
      end
    end
  elseif etype == 'visit' then
    count(eventChain, day, C.visits, 1)
    count(eventChain, day, C.households, households)
    if attrs.role == 'agent' then count(eventChain, day, C.agentVisits, 1) end -- service: 巡回代办 (定)
  elseif etype == 'alert' then
    count(eventChain, day, C.alerts, 1)
    if attrs.severity == 'critical' then count(eventChain, day, C.alertsCritical, 1) end
  end
  return { 'applied', log(region, '1', nil, eventChain) }
end

-- hotline calls have no subject state: flow counts by call day
if feed == 'hotline' and etype == 'call' then
  redis.call('SET', KEYS[2], '1', 'EX', seenTtlArg) -- seen
  count(eventChain, day, C.calls, 1)
  if attrs.answered then count(eventChain, day, C.callsAnswered, 1) end
  return { 'applied', log(eventChain[1] or '', '1', nil, eventChain) }
end

if feed ~= 'case' and feed ~= 'hotline' and feed ~= 'service' then return { 'invalid', 'feed must be case, hotline, grid or service' } end

-- case, hotline and service subjects: checks that do not depend on the subject's state
local transition = transitionsOf(feed)
if transition(etype, '') == nil then
  return { 'invalid', 'type ' .. etype .. ' is not a step of the ' .. feed .. ' lifecycle' }
end
local intakeCategory = type(ev.category) == 'string' and ev.category or nil
if (etype == 'reported' or etype == 'received' or (feed == 'service' and etype == 'accepted')) and intakeCategory == nil then
  return { 'invalid', 'category is required on intake' }
end
if etype == 'reported' and tonumber(ARGV[6]) == nil then return { 'invalid', 'SLA hours are required on case reported' } end
if etype == 'received' then
  if (explicitDeadline or tonumber(ARGV[6])) == nil then return { 'invalid', 'a deadline is required on hotline received' } end
  if type(attrs.kind) ~= 'string' then return { 'invalid', 'attrs.kind is required on hotline received' } end
end
if (feed == 'hotline' or feed == 'service') and etype == 'rated' and type(attrs.satisfaction) ~= 'string' then
  return { 'invalid', 'attrs.satisfaction is required on ' .. feed .. ' rated' }
end
-- ==== service (便民服务代办) checks: begin ====
-- ARGV[12] '1' on a service accepted whose item stops its clock during 补正 (categories' pausesOnDocs), else ''
if feed == 'service' and etype == 'accepted' then
  if (explicitDeadline or tonumber(ARGV[6])) == nil then return { 'invalid', 'a deadline is required on service accepted' } end
  if attrs.scope ~= 'local' and attrs.scope ~= 'outside' then return { 'invalid', 'attrs.scope must be local or outside on service accepted' } end
end
-- ==== service checks: end ====
if etype == 'extended' and explicitDeadline == nil then return { 'invalid', 'attrs.deadline is required on extended' } end
local list, listRaw = loadList()
-- the list knows its ids too: a resend after its seen-id expired is still a duplicate
for _, en in ipairs(list) do
  if en.id == ev.id then return { 'duplicate', '' } end
end
if #list >= MAX_SUBJECT_EVENTS then return { 'invalid', 'the subject already has ' .. MAX_SUBJECT_EVENTS .. ' events; no more are taken' } end

-- One derivation of a subject from its event list: what it adds to every
-- counter (h: key -> field -> n), its members (z: open zset -> score,
-- s: pending sets), its hash fields (f) and which entries took effect (ok).
-- A counter key of h is a kind ('c' the day/month/year hashes, 't' trend,
-- 'k' categories) and a day, counted in the chain of the subject's intake
-- (f.chain; chain, split): it is spread over the chain's regions only when
-- its difference is written, so deriving a subject does one addition per
-- counter, not three per region. A derivation has one chain: only the intake
-- step, which fits no state but the first, sets it.
local OPEN = feed == 'case' and { REGISTERED = true, DISPATCHED = true, DISPOSED = true }
  or feed == 'service' and { ACCEPTED = true, FORWARDED = true, WAITING = true }
  or { RECEIVED = true, DISPATCHED = true, REPLIED = true }
-- service: the open-set score of an errand whose clock stands still (补正 of an item that pauses):
-- never due, yet still 在办. The latest instant a JS Date holds, exact in a double.
local CLOCK_STOPPED = 8640000000000000
-- With lastApart, the same pass also returns the derivation of the entries before the last one.
-- An entry's event, decoded when a step needs more than its type (y) and the entry keeps no view
-- (v) of what derive reads of it (entries stored before y and v were kept are decoded): a subject's
-- earlier events are not decoded again on each of its events.
local function evOf(en)
  local e = en.ev or en.v
  if not e then e = cjson.decode(en.e); en.ev = e end
  return e
end
local function attrsOf(e) return type(e.attrs) == 'table' and e.attrs or {} end
-- the open and pending set of a region, named once in a call though both derivations name them
local openKeys, pendingKeys = {}, {}
local function derive(entries, lastApart)
  local W = { h = {}, z = {}, s = {}, f = {}, ok = {} }
  local f = W.f
  local chain = {}
  local function add(kind, d, field, n)
    if f.chain == nil or f.chain == '' then return end -- before the intake, or no place: counted nowhere
    local key = kind .. d
    local h = W.h[key]
    if not h then
      h = {}; W.h[key] = h
    elseif W.shared and W.shared[key] == h then -- fields shared with the copy of lastApart: cloned on the first write
      local c = {}
      for field0, n0 in pairs(h) do c[field0] = n0 end
      h = c; W.h[key] = c
    end
    h[field] = (h[field] or 0) + n
  end
  -- the first time a milestone is reached (field: its hash field, m.<name>)
  local function milestone(field, t)
    if f[field] ~= nil then return false end
    f[field] = t
    return true
  end
  local state, slaMs = '', nil
  local pauses = false -- service: the errand's item stops its clock during 补正 (from its accepted entry)
  -- one step, when it fits the state reached so far; false when it does not
  local function step(en)
    local et = en.y or evOf(en).type
    local to = transition(et, state)
    if not to then return false end
    local when = en.t
    local deadline = f.deadline
    local onTime = deadline ~= nil and when <= deadline
    if feed == 'case' then
      if et == 'reported' then
        local e = evOf(en)
        chain = split(en.c)
        f.chain, f.iday, f.category, f.sla, f.priority = en.c, en.d, e.category, en.i, attrsOf(e).priority or 'normal'
        add('c', en.d, C.caseReported, 1)
        add('t', en.d, en.b, 1) -- the intake's marks: its 10-minute bucket and its category
        add('k', en.d, e.category, 1)
      elseif et == 'registered' then
        f.cday = en.d
        f.deadline = en.x or (when + (tonumber(f.sla) or 0) * 3600000)
        add('c', f.iday, C.caseReportedRegistered, 1)
        add('c', en.d, C.caseRegistered, 1)
      elseif et == 'extended' then
        f.deadline = en.x
      elseif et == 'disposed' then
        if milestone('m.disposed', when) then
          add('c', f.cday, C.caseDisposed, 1)
          if onTime then add('c', f.cday, C.caseDisposedOnTime, 1) end
        end
      elseif et == 'rework' then
        if milestone('m.reworked', when) then add('c', f.cday, C.caseReworked, 1) end
      elseif et == 'closed' then
        add('c', en.d, C.caseClosedFlow, 1)
        if state == 'REPORTED' then
          add('c', f.iday, C.caseSelfClosed, 1)
        else
          add('c', f.cday, C.caseClosedRegistered, 1)
          if onTime then add('c', f.cday, C.caseClosedOnTime, 1) end
        end
        if string.sub(f.category or '', 1, 8) == 'dispute.' then
          add('c', f.cday or f.iday, C.caseDisputeClosed, 1)
          if attrsOf(evOf(en)).outcome == 'success' then add('c', f.cday or f.iday, C.caseDisputeSuccess, 1) end
        end
      elseif et == 'urged' then
        add('c', en.d, C.caseUrgedFlow, 1)
      end
    elseif feed == 'service' then
      -- ==== service (便民服务代办): cohort counters by accepted day (iday), split by scope: s.<milestone>.<local|outside> ====
      -- errands feed neither the intake trend nor the category breakdown (no marks)
      -- a stopped clock starts again when the errand leaves WAITING (resumed, completed, withdrawn): the
      -- deadline moves later by the event time waited, before this step is judged against it
      if f.paused and to ~= '=' then
        f.deadline = f.deadline + (when - f.paused)
        f.paused = nil
        onTime = when <= f.deadline
      end
      if et == 'accepted' then
        local e = evOf(en)
        chain = split(en.c)
        f.chain, f.iday, f.category, f.scope = en.c, en.d, e.category, attrsOf(e).scope
        f.deadline = en.x or tonumber(en.i)
        pauses = en.q == true
        milestone('m.accepted', when)
        add('c', en.d, SC(f.scope, 'accepted'), 1)
      elseif et == 'returnedForDocs' then
        -- the clock keeps running unless the item pauses it: then it stands still from here; resumed goes back to this state
        f.prev = state
        if pauses then f.paused = when end
      elseif et == 'completed' then
        if milestone('m.completed', when) then
          add('c', f.iday, SC(f.scope, 'completed'), 1)
          if onTime then add('c', f.iday, SC(f.scope, 'completedOnTime'), 1) end
          add('c', f.iday, C.serviceMinutes, math.floor((when - (f['m.accepted'] or when)) / 60000))
        end
      elseif et == 'withdrawn' then
        add('c', f.iday, SC(f.scope, 'withdrawn'), 1)
      elseif et == 'rated' then
        -- as 12345: the latest rating (by event time) counts, once, at the end
        local a = attrsOf(evOf(en))
        f.sat, f.solved, f.contacted = a.satisfaction, a.solved and '1' or '0', a.contacted and '1' or '0'
      end
      -- ==== service: end ====
    else
      if et == 'received' then
        local e = evOf(en)
        local a = attrsOf(e)
        chain = split(en.c)
        -- the SLA of the order, kept for a reopen: intake deadline minus receipt
        slaMs = tonumber(en.i) and (tonumber(en.i) - when) or 0
        f.chain, f.iday, f.category, f.kind = en.c, en.d, e.category, a.kind
        f.deadline = en.x or tonumber(en.i)
        add('c', en.d, C.hotlineReceived, 1)
        add('c', en.d, CF.hotlineKind .. a.kind, 1)
        add('t', en.d, en.b, 1) -- the intake's marks: its 10-minute bucket and its category
        add('k', en.d, e.category, 1)
      elseif et == 'extended' then
        f.deadline = en.x
      elseif et == 'directClosed' or et == 'closed' then
        add('c', en.d, C.hotlineClosedFlow, 1)
        if milestone('m.closed', when) then
          add('c', f.iday, C.hotlineClosed, 1)
          if et == 'directClosed' then add('c', f.iday, C.hotlineDirectClosed, 1) end
          if onTime then add('c', f.iday, C.hotlineClosedOnTime, 1) end
        end
      elseif et == 'reopened' then
        -- a reopened order is due again: its own deadline, else the SLA from the reopen time
        f.deadline = en.x or (when + slaMs)
      elseif et == 'urged' then
        add('c', en.d, C.hotlineUrgedFlow, 1)
      elseif et == 'voided' then
        -- a voided order leaves the received cohort (and its kind)
        add('c', f.iday, C.hotlineVoided, 1)
        add('c', f.iday, C.hotlineReceived, -1)
        add('c', f.iday, CF.hotlineKind .. f.kind, -1)
      elseif et == 'rated' then
        -- a subject's satisfaction is its latest rating (by event time): counted once, at the end
        local a = attrsOf(evOf(en))
        f.sat, f.solved, f.contacted = a.satisfaction, a.solved and '1' or '0', a.contacted and '1' or '0'
      end
    end
    if to == '<' then state = f.prev or state -- service resumed: back to the state before WAITING
    elseif to ~= '=' then state = to end
    return true
  end

  -- the end of a derivation: its final state, the latest rating, open and pending members
  local function finish()
    if state ~= '' then f.state = state end
    if f.sat and feed == 'service' then
      add('c', f.iday, C.serviceRated, 1)
      add('c', f.iday, CF.serviceRating .. f.sat, 1)
    elseif f.sat then
      add('c', f.iday, C.hotlineRated, 1)
      add('c', f.iday, CF.hotlineRating .. f.sat, 1)
      if f.solved == '1' then add('c', f.iday, C.hotlineSolved, 1) end
      if f.contacted == '1' then add('c', f.iday, C.hotlineContacted, 1) end
    end
    W.chain = chain
    if OPEN[state] then
      local score = f.paused and CLOCK_STOPPED or f.deadline -- service: a stopped clock is never due
      for _, r in ipairs(chain) do
        local k = openKeys[r]
        if not k then k = K.open .. feed .. ':' .. r; openKeys[r] = k end
        W.z[k] = score
      end
    end
    if state == 'REPORTED' then
      for _, r in ipairs(chain) do
        local k = pendingKeys[r]
        if not k then k = K.pending .. r; pendingKeys[r] = k end
        W.s[k] = true
      end
    end
    return W
  end
  local waiting = {}
  local beforeLast
  for i, en in ipairs(entries) do
    if lastApart and i == #entries then
      -- the derivation so far, finished on a copy: the pass then goes on from where it was
      -- (the counter fields of a key are shared by both until either adds to that key)
      local live, liveF = W, f
      local h, fc = {}, {}
      for key, fields in pairs(W.h) do h[key] = fields end
      for k, v in pairs(f) do fc[k] = v end
      W, f = { h = h, shared = live.h, z = {}, s = {}, f = fc }, fc
      beforeLast = finish()
      W, f = live, liveF
      W.shared = beforeLast.h
    end
    if step(en) then
      W.ok[i] = true
      -- every step may let parked ones fit: retry them, earliest first, until none does
      local again = true
      while again do
        again = false
        for j, k in ipairs(waiting) do
          if step(entries[k]) then
            W.ok[k] = true
            table.remove(waiting, j)
            again = true
            break
          end
        end
      end
    else
      waiting[#waiting + 1] = i
    end
  end
  return finish(), beforeLast
end

-- the view (v) of an event of a type whose step reads more than its type: its category and these attrs
local view
if etype == 'reported' or etype == 'received' or etype == 'accepted' or etype == 'rated' or etype == 'closed' then
  view = { category = ev.category, attrs = { priority = attrs.priority, outcome = attrs.outcome, scope = attrs.scope,
    satisfaction = attrs.satisfaction, solved = attrs.solved, contacted = attrs.contacted, kind = attrs.kind } }
end
local entry = { id = ev.id, t = at, y = etype, v = view, e = ARGV[1], c = ARGV[2], d = day, b = bucket, i = ARGV[6], x = explicitDeadline, q = ARGV[12] == '1' or nil, ev = ev }
local before, after
if #list == 0 or list[#list].t <= at then
  -- later than every entry (the common case): one pass derives the list with it and, on the way, without it
  list[#list + 1] = entry
  after, before = derive(list, true)
else
  before = derive(list)
  insertByTime(list, entry)
  after = derive(list)
end

redis.call('SET', KEYS[2], '1', 'EX', seenTtlArg) -- seen
-- the Redis keys a derivation's counter key stands for (see derive)
local SPREAD_SUFFIX = { t = K.trend, k = K.categories }
local function spread(key, chain)
  local kind, d = string.sub(key, 1, 1), string.sub(key, 2)
  local out = {}
  local month, year = string.sub(d, 1, 6), string.sub(d, 1, 4)
  for _, r in ipairs(chain) do
    if kind == 'c' then
      out[#out + 1] = P .. K.day .. r .. ':' .. d
      out[#out + 1] = P .. K.month .. r .. ':' .. month
      out[#out + 1] = P .. K.year .. r .. ':' .. year
    else
      out[#out + 1] = P .. SPREAD_SUFFIX[kind] .. r .. ':' .. d
    end
  end
  return out
end
-- the difference of the two derivations, written: counters (a field is created
-- even at 0, as HINCRBY does), open and pending members, hash fields.
-- Derivations of different chains (a late intake of another place) share no counter.
local sameChain = before.f.chain == after.f.chain
local NOTHING = {}
for key, fields in pairs(after.h) do
  local old = sameChain and before.h[key] or NOTHING
  local targets
  -- a key neither derivation added to since the copy of lastApart is the same table: nothing changed
  if old == fields then fields = NOTHING end
  for field, n in pairs(fields) do
    local d = n - (old[field] or 0)
    if d ~= 0 or old[field] == nil then
      targets = targets or spread(key, after.chain)
      d = numArg(d)
      for _, k in ipairs(targets) do redis.call('HINCRBY', k, field, d) end
    end
  end
end
for key, fields in pairs(before.h) do
  local new = sameChain and after.h[key] or NOTHING
  local targets
  if new == fields then fields = NOTHING end
  for field, n in pairs(fields) do
    if new[field] == nil and n ~= 0 then
      targets = targets or spread(key, before.chain)
      local back = numArg(-n)
      for _, k in ipairs(targets) do redis.call('HINCRBY', k, field, back) end
    end
  end
end
for key, score in pairs(after.z) do
  if before.z[key] ~= score then redis.call('ZADD', P .. key, numArg(score), ev.subject) end
end
for key in pairs(before.z) do
  if after.z[key] == nil then redis.call('ZREM', P .. key, ev.subject) end
end
for key in pairs(after.s) do
  if not before.s[key] then redis.call('SADD', P .. key, ev.subject) end
end
for key in pairs(before.s) do
  if not after.s[key] then redis.call('SREM', P .. key, ev.subject) end
end
local hset = {}
for field, v in pairs(after.f) do
  if before.f[field] ~= v then hset[#hset + 1] = field; hset[#hset + 1] = numArg(v) end
end
if #hset > 0 then redis.call('HSET', subj, unpack(hset)) end
for field in pairs(before.f) do
  if after.f[field] == nil then redis.call('HDEL', subj, field) end
end

-- which entries are parked now: since when (channel time), indexed for the sweep
local status = 'applied'
local othersChanged = false
local unparked = {} -- parked before this event, applied now: each gets a log entry of its own ('u')
for i, en in ipairs(list) do
  if en.ev then en.ev = nil end -- (a nil stored to an absent key adds the key to the table)
  if after.ok[i] then
    if en.p then
      en.p = nil
      othersChanged = othersChanged or en ~= entry
      if en ~= entry and not en.r then unparked[#unparked + 1] = en.e end
      en.r = nil
      redis.call('ZREM', KEYS[6], parkedMember(feed, ev.subject, en.id))
    end
  elseif not en.p then
    en.p = now
    othersChanged = othersChanged or en ~= entry
    -- applied until a late predecessor re-judged it: logged applied already, so no 'u' when it fits again
    if en ~= entry then en.r = true end
    redis.call('ZADD', KEYS[6], numArg(now), parkedMember(feed, ev.subject, en.id))
  end
  if en == entry and not after.ok[i] then status = 'outOfOrder' end
end
if #list >= 2 and list[#list] == entry and not othersChanged and string.sub(listRaw, -1) == ']' then
  -- the common case, an event later than all before it that parks or un-parks no other: the stored
  -- list gains its entry at the end, written over its closing bracket; the entries it already holds
  -- are neither encoded again nor copied into a new string
  redis.call('SETRANGE', KEYS[5], #listRaw - 1, ',' .. cjson.encode(entry) .. ']')
else
  saveList(list)
end
-- closed and terminal subjects expire after CLOSED_TTL_DAYS of channel time (closed-expiry.lua): index them from when they ended
local TERMINAL = feed == 'case' and { CLOSED = true, CANCELLED = true }
  or feed == 'service' and { COMPLETED = true, DELIVERED = true, WITHDRAWN = true }
  or { CLOSED = true, VOID = true }
local wasEnded, isEnded = TERMINAL[before.f.state or ''], TERMINAL[after.f.state or '']
if isEnded and not wasEnded then redis.call('ZADD', P .. K.ended, numArg(now), feed .. ':' .. ev.subject) end
if wasEnded and not isEnded then redis.call('ZREM', P .. K.ended, feed .. ':' .. ev.subject) end
if status == 'outOfOrder' then redis.call('HINCRBY', KEYS[4], 'outOfOrder', '1') end
local regionChain = after.chain -- the intake's chain, split by derive
if not regionChain[1] then regionChain = eventChain end
local sid = log(regionChain[1] or '', status == 'applied' and '1' or 'p', after.f.category, regionChain)
-- after the event that let them fit, in event-time order: the screens show them applied now
for _, json in ipairs(unparked) do log(regionChain[1] or '', 'u', after.f.category, regionChain, json) end
return { status, sid }
