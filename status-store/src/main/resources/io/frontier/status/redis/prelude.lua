-- Shared by every script of RedisUserStatus (RedisScripts prepends it).
--
-- An entry (the value under a device id in a user hash) is one layout byte, '1', then five fields, each
-- written as its length in bytes, a colon and the bytes: connectedAtMs in decimal, connId, edgeId,
-- edgeInstance, clientAddr. Example: 1 13:1700000000000 4:c-01 6:edge-1 5:run-7 14:10.0.0.7:40000
-- (without the spaces). RedisEntryCodec writes and reads the same layout in Java.

local AT, CONN, EDGE, INSTANCE = 1, 2, 3, 4

local function fields(value)
  local out, pos = {}, 2
  while pos <= #value do
    local colon = string.find(value, ':', pos, true)
    local len = tonumber(string.sub(value, pos, colon - 1))
    out[#out + 1] = string.sub(value, colon + 1, colon + len)
    pos = colon + len + 1
  end
  return out
end

-- Lua's own string comparison follows the server's locale (strcoll), so bytes are compared here. UTF-8
-- lead bytes of supplementary characters (F0..F4) rank between U+D7FF and U+E000, where Java's UTF-16
-- surrogates put them: the order is then Java's String.compareTo, as ConnectionOrder uses.
local function rank(byte)
  if byte >= 0xF0 then
    return 0xED * 8 + 1 + (byte - 0xF0)
  end
  return byte * 8
end

local function compareText(a, b)
  if a == b then
    return 0
  end
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return rank(x) < rank(y) and -1 or 1
    end
  end
  return #a < #b and -1 or 1
end

-- Decimal numbers without leading zeros: the longer is the larger.
local function compareDecimal(a, b)
  if #a ~= #b then
    return #a < #b and -1 or 1
  end
  return compareText(a, b)
end

-- Whether entry a (as fields) is a newer connection than entry b: later connectedAtMs, then larger connId.
local function newer(a, b)
  local byTime = compareDecimal(a[AT], b[AT])
  if byTime ~= 0 then
    return byTime > 0
  end
  return compareText(a[CONN], b[CONN]) > 0
end
