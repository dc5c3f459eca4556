-- KEYS[1] the user's dl (routing only). ARGV: base, device, after place, limit, id (or ''). With an id: that
-- message as {id, place, bytes}, or {}. Without: up to limit messages after the place, oldest first, as
-- {id, place, bytes, id, place, bytes, ...}.
local q, m = device_keys(ARGV[1], ARGV[2])
local found = {}
if ARGV[5] ~= '' then
  local bytes = redis.call('HGET', m, ARGV[5])
  if bytes then
    found = {ARGV[5], redis.call('ZSCORE', q, ARGV[5]), bytes}
  end
  return found
end
local ids = redis.call('ZRANGEBYSCORE', q, '(' .. ARGV[3], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[4]))
for i = 1, #ids, 2 do
  table.insert(found, ids[i])
  table.insert(found, ids[i + 1])
  table.insert(found, redis.call('HGET', m, ids[i]))
end
return found
