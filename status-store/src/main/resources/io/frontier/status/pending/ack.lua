-- KEYS[1] the user's dl (routing only). ARGV: base, device, id. Removes the message; returns {place, bytes}
-- of what it removed, or nil when the device held no such message.
local bytes, seq = remove(ARGV[1], ARGV[2], ARGV[3])
if not bytes then
  return false
end
return {seq, bytes}
