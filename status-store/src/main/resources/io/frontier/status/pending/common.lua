-- What every pending-store script shares. A device's keys are BASE .. DEVICE .. ':' .. one letter, and the
-- user's deadlines and places are BASE .. 'dl' and BASE .. 'seq', where BASE is PREFIX:{u:USER}:p: (ARGV[1]):
-- q, a sorted set of message ids by place; m, a hash of id to the message's bytes; r, a hash of id to its
-- collapse key (only for a message that has one); c, a hash of collapse key to the id waiting under it.
-- dl is a sorted set of DEVICE .. '\n' .. id by deadline (ms). Every key is the user's: one slot.
local function device_keys(base, device)
  local d = base .. 'd:' .. device .. ':'
  return d .. 'q', d .. 'm', d .. 'r', d .. 'c'
end

-- Removes message id of a device from every structure; returns its bytes and place, or nil.
local function remove(base, device, id)
  local q, m, r, c = device_keys(base, device)
  local bytes = redis.call('HGET', m, id)
  if not bytes then
    return nil
  end
  local seq = redis.call('ZSCORE', q, id)
  redis.call('ZREM', q, id)
  redis.call('HDEL', m, id)
  local key = redis.call('HGET', r, id)
  if key then
    redis.call('HDEL', r, id)
    if redis.call('HGET', c, key) == id then
      redis.call('HDEL', c, key)
    end
  end
  redis.call('ZREM', base .. 'dl', device .. '\n' .. id)
  return bytes, seq
end
