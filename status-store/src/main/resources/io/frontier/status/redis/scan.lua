-- KEYS[1] an edge index; ARGV[1] cursor, ARGV[2] COUNT hint. One HSCAN step, flattened: {next cursor,
-- field, value, field, value, ...}.
local step = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local out = {step[1]}
for _, item in ipairs(step[2]) do
  out[#out + 1] = item
end
return out
