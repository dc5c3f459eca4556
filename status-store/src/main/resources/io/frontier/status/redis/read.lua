-- KEYS: one or both user hashes of one user (one hash slot, thanks to the {u:...} hash tag); ARGV[1], when
-- given, the one device id to read. Returns a flat list: for each entry found, the position of its hash in
-- KEYS, the device id and the entry.
local out = {}
for i, key in ipairs(KEYS) do
  if ARGV[1] then
    local value = redis.call('HGET', key, ARGV[1])
    if value then
      out[#out + 1] = i
      out[#out + 1] = ARGV[1]
      out[#out + 1] = value
    end
  else
    local all = redis.call('HGETALL', key)
    for j = 1, #all, 2 do
      out[#out + 1] = i
      out[#out + 1] = all[j]
      out[#out + 1] = all[j + 1]
    end
  end
end
return out
