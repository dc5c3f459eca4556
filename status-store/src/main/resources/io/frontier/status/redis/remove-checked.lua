-- KEYS[1] a user hash; ARGV[1] device id, ARGV[2] connection id, ARGV[3] edge id, ARGV[4] what to check
-- of the instance: 'any', 'equal' or 'differ', ARGV[5] the instance. Removes the device's entry only if
-- it still names that connection and edge and its instance passes the check, so that a stale index
-- record never removes a newer entry. Returns 1 when it removed the entry, 0 when the hash no longer
-- names that connection (its index record is stale), -1 when it names it but the check kept it.
local recorded = redis.call('HGET', KEYS[1], ARGV[1])
if not recorded then
  return 0
end
local entry = fields(recorded)
if entry[CONN] ~= ARGV[2] then
  return 0
end
if entry[EDGE] ~= ARGV[3]
    or (ARGV[4] == 'equal' and entry[INSTANCE] ~= ARGV[5])
    or (ARGV[4] == 'differ' and entry[INSTANCE] == ARGV[5]) then
  return -1
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
