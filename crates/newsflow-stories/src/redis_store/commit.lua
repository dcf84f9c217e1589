-- Stores an article's decision unless one is stored already, or unless an
-- article that shares a band arrived after the caller's look-up (then the
-- caller looks again: the store arbitrates between racing replicas).
-- KEYS[1]: the decision; KEYS[2]: the article's entry; KEYS[3..]: its
-- band sets.
-- ARGV: prefix, id, decision, story id, event time, signature, band names
-- (space-separated), sequence number seen, window's articles, window's
-- seconds.
-- Returns {"d", the decision that stands} or {"r"} to look again.
local decided = redis.call('GET', KEYS[1])
if decided then
  return {'d', decided}
end
local prefix, id, decision = ARGV[1], ARGV[2], ARGV[3]
local seen = ARGV[8]
for i = 3, #KEYS do
  if redis.call('ZCOUNT', KEYS[i], '(' .. seen, '+inf') > 0 then
    return {'r'}
  end
end
local order = prefix .. 'order'
local seq = redis.call('INCR', prefix .. 'seq')
redis.call('SET', KEYS[1], decision)
redis.call('HSET', KEYS[2], 's', ARGV[4], 't', ARGV[5], 'g', ARGV[6], 'b', ARGV[7])
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], seq, id)
end
redis.call('ZADD', order, seq, id)
local time = tonumber(ARGV[5])
local newest = tonumber(redis.call('GET', prefix .. 'newest') or ARGV[5])
if time > newest then
  newest = time
end
redis.call('SET', prefix .. 'newest', newest)
-- The window: the oldest arrivals go while there are too many, or while
-- they are older than the window by event time.
local most = tonumber(ARGV[9])
local oldest = newest - tonumber(ARGV[10])
while true do
  local front = redis.call('ZRANGE', order, 0, 0)
  if #front == 0 then
    break
  end
  local gone = front[1]
  local entry = prefix .. 'a:' .. gone
  local t = tonumber(redis.call('HGET', entry, 't') or '0')
  if redis.call('ZCARD', order) <= most and t >= oldest then
    break
  end
  local bands = redis.call('HGET', entry, 'b') or ''
  for band in string.gmatch(bands, '%S+') do
    redis.call('ZREM', prefix .. 'b:' .. band, gone)
  end
  redis.call('DEL', entry, prefix .. 'd:' .. gone)
  redis.call('ZREM', order, gone)
end
return {'d', decision}
