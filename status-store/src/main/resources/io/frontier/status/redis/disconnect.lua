-- KEYS[1] a user hash; ARGV[1] device id, ARGV[2] connection id. Removes the device's entry only if it
-- names that connection; returns the removed entry, or nil.
local recorded = redis.call('HGET', KEYS[1], ARGV[1])
if recorded and fields(recorded)[CONN] == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return recorded
end
return false
