-- KEYS[1] a shard of users with deadlines. ARGV: user, deadline ms. Records the user as due by the deadline,
-- unless it is due sooner already.
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(ARGV[2]) < tonumber(current) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
