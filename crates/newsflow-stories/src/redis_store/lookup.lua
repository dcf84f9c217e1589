-- What a new article is compared with, read in one step.
-- KEYS[1]: the article's decision; KEYS[2..]: its band sets.
-- ARGV[1]: the key prefix; ARGV[2]: candidates read per band at most.
-- Returns {"d", decision} when the article was decided before, else
-- {"c", last sequence number, newest event time or "", then per
-- candidate in arrival order: id, story id, event time, signature}.
local decided = redis.call('GET', KEYS[1])
if decided then
  return {'d', decided}
end
local prefix = ARGV[1]
local per_band = tonumber(ARGV[2])
local arrival = {}
local ids = {}
for i = 2, #KEYS do
  -- the band's most recent members, with their sequence numbers
  local members = redis.call('ZRANGE', KEYS[i], -per_band, -1, 'WITHSCORES')
  for j = 1, #members, 2 do
    local id = members[j]
    if arrival[id] == nil then
      arrival[id] = tonumber(members[j + 1])
      ids[#ids + 1] = id
    end
  end
end
table.sort(ids, function(a, b) return arrival[a] < arrival[b] end)
local out = {'c', redis.call('GET', prefix .. 'seq') or '0',
             redis.call('GET', prefix .. 'newest') or ''}
for _, id in ipairs(ids) do
  local entry = redis.call('HMGET', prefix .. 'a:' .. id, 's', 't', 'g')
  if entry[1] and entry[2] and entry[3] then
    out[#out + 1] = id
    out[#out + 1] = entry[1]
    out[#out + 1] = entry[2]
    out[#out + 1] = entry[3]
  end
end
return out
