-- KEYS[1] the user's dl. ARGV: base, now ms, most to remove. Removes the user's messages due by now, earliest
-- first; returns {earliest deadline left or '', device, id, device, id, ...}.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local result = {''}
for _, member in ipairs(due) do
  local cut = string.find(member, '\n', 1, true)
  local device, id = string.sub(member, 1, cut - 1), string.sub(member, cut + 1)
  remove(ARGV[1], device, id)
  redis.call('ZREM', KEYS[1], member)
  table.insert(result, device)
  table.insert(result, id)
end
local upcoming = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if upcoming[2] then
  result[1] = upcoming[2]
end
return result
