-- KEYS[1] a shard of users with deadlines. ARGV: user, the deadline read before its expiry, the user's next
-- deadline after it (or ''). Moves the user to its next deadline, or off the shard, unless a keep lowered its
-- deadline meanwhile: then the lower one stays.
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) == tonumber(ARGV[2]) then
  if ARGV[3] == '' then
    redis.call('ZREM', KEYS[1], ARGV[1])
  else
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  end
elseif current and ARGV[3] ~= '' and tonumber(ARGV[3]) < tonumber(current) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return 1
