-- KEYS[1] the user hash of the entry's client type; ARGV[1] device id, ARGV[2] the entry, ARGV[3] TTL of
-- the hash in milliseconds. Returns {outcome, previous entry or nil}, outcome 0 ADDED, 1 REPLACED, 2 SAME,
-- 3 STALE, as ConnectionOrder.judge decides.
local recorded = redis.call('HGET', KEYS[1], ARGV[1])
local outcome
if not recorded then
  outcome = 0
else
  local was, now = fields(recorded), fields(ARGV[2])
  if was[CONN] == now[CONN] then
    outcome = 2
  elseif newer(now, was) then
    outcome = 1
  else
    outcome = 3
  end
end
if outcome <= 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
-- Every report of a live connection of the user keeps the hash from expiring.
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {outcome, recorded}
