#!lua
--[[ retention (DESIGN §8): a closed or terminal subject, its event list and the
  seen-ids of its events go once it has been ended for CLOSED_TTL_DAYS of channel
  time. Counters are kept; open subjects are never in the index.
  KEYS[1] ended-subjects index (zset `<feed>:<subject>` scored by when it ended)
  KEYS[2] parked index (zset, JSON {feed, subject, id})
  ARGV[1] key prefix, with K (key suffixes, declared when loaded: server/store/lua-header.ts)
  ARGV[2] cutoff ms (ended at or before it expire)   ARGV[3] most subjects per call
  returns: number of subjects expired ]]

local P = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do
  local feed, subject = string.match(member, '^([^:]+):(.*)$')
  if feed then
    local raw = redis.call('GET', P .. K.events .. member)
    local ok, list = false, nil
    if raw then ok, list = pcall(cjson.decode, raw) end
    if ok and type(list) == 'table' then
      for _, en in ipairs(list) do
        if type(en.id) == 'string' then
          redis.call('DEL', P .. K.seen .. en.id)
          if en.p then redis.call('ZREM', KEYS[2], cjson.encode({ feed = feed, subject = subject, id = en.id })) end
        end
      end
    end
    redis.call('DEL', P .. K.events .. member, P .. K.subject .. member)
  end
  redis.call('ZREM', KEYS[1], member)
end
return #due
