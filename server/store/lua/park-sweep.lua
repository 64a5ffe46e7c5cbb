#!lua
--[[ refuse parked events still parked after the park window (DESIGN §5).
  A parked event never took effect, so taking it out of its subject's event
  list changes no state and no counter: it is removed, logged as refused
  (a='0') and listed in the refused list with its reason.
  KEYS[1] parked index (zset: JSON {feed, subject, id} scored by park time)
  KEYS[2] log stream   KEYS[3] refused list   KEYS[4] channel stats hash
  ARGV[1] key prefix, with K (key suffixes, declared when loaded: server/store/lua-header.ts)
  ARGV[2] cutoff ms (parked at or before it are refused)
  ARGV[3] log MAXLEN   ARGV[4] most events refused by this call
  ARGV[5] refused list cap   ARGV[6] channel now ms   ARGV[7] window hours (for the reason)
  returns: number of events refused ]]

local P = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
local refused = 0
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local ok, m = pcall(cjson.decode, member)
  if ok and type(m) == 'table' and type(m.feed) == 'string' and type(m.subject) == 'string' then
    local listKey = P .. K.events .. m.feed .. ':' .. m.subject
    local raw = redis.call('GET', listKey)
    local decoded, list = false, nil
    if raw then decoded, list = pcall(cjson.decode, raw) end
    if decoded and type(list) == 'table' then
      for i, en in ipairs(list) do
        if en.id == m.id and en.p then
          table.remove(list, i)
          if #list == 0 then redis.call('DEL', listKey) else redis.call('SET', listKey, cjson.encode(list)) end
          local s = redis.call('HMGET', P .. K.subject .. m.feed .. ':' .. m.subject, 'state', 'chain', 'category')
          local region = string.match(s[2] or en.c or '', '^[^,]+') or ''
          local ev = cjson.decode(en.e)
          local reason = 'step "' .. tostring(ev.type) .. '" does not follow from the state '
            .. (s[1] and ('"' .. s[1] .. '"') or 'of a subject that has not arrived')
            .. ' after ' .. ARGV[7] .. ' h parked'
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'e', en.e, 'r', region, 'a', '0', 'c', s[3] or '')
          redis.call('RPUSH', KEYS[3], cjson.encode({
            event = ev, region = region, reason = reason, state = s[1] or '', parkedAt = en.p, refusedAt = tonumber(ARGV[6]),
          }))
          redis.call('LTRIM', KEYS[3], -tonumber(ARGV[5]), -1)
          redis.call('HINCRBY', KEYS[4], 'refused', 1)
          refused = refused + 1
          break
        end
      end
    end
  end
end
return refused
