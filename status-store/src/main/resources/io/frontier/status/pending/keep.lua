-- KEYS[1] the user's dl (routing only). ARGV: base, device, id, bytes, collapse key (or ''), deadline ms,
-- most per device, keys' time to live ms. Returns {1, place, bytes} when the device holds the id already;
-- else {0, place, kind, id, kind, id, ...} with what went to make room: 'C' collapsed, 'D' dropped.
local base, device, id = ARGV[1], ARGV[2], ARGV[3]
local q, m, r, c = device_keys(base, device)
local existing = redis.call('HGET', m, id)
if existing then
  return {1, redis.call('ZSCORE', q, id), existing}
end
local result = {0, 0}
local key = ARGV[5]
if key ~= '' then
  local older = redis.call('HGET', c, key)
  if older then
    remove(base, device, older)
    table.insert(result, 'C')
    table.insert(result, older)
  end
end
if redis.call('ZCARD', q) >= tonumber(ARGV[7]) then
  local oldest = redis.call('ZRANGE', q, 0, 0)[1]
  remove(base, device, oldest)
  table.insert(result, 'D')
  table.insert(result, oldest)
end
-- Places grow with Redis's clock (microseconds), and past the last one given: they keep growing even
-- after every key of the user expired, so that a reader's cursor never misses a new message.
local now = redis.call('TIME')
local seq = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('GET', base .. 'seq') or '0')
if seq <= last then
  seq = last + 1
end
local ttl = ARGV[8]
redis.call('SET', base .. 'seq', seq, 'PX', ttl)
redis.call('ZADD', q, seq, id)
redis.call('HSET', m, id, ARGV[4])
if key ~= '' then
  redis.call('HSET', c, key, id)
  redis.call('HSET', r, id, key)
  redis.call('PEXPIRE', r, ttl)
  redis.call('PEXPIRE', c, ttl)
end
redis.call('ZADD', base .. 'dl', ARGV[6], device .. '\n' .. id)
for _, k in ipairs({q, m, base .. 'dl'}) do
  redis.call('PEXPIRE', k, ttl)
end
result[2] = seq
return result
