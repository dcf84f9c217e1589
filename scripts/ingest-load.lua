-- wrk script for scripts/ingest-load.sh: every request posts one new
-- article (unique title and body, so a unique id); every response is
-- counted by status, the ids of each 202 go to ids-<thread>.txt in
-- $LOAD_DIR, and each 503 is checked for a Retry-After header and for
-- the full-queue reason.

local threads = {}
local next_thread = 0

function setup(thread)
   thread:set("number", next_thread)
   next_thread = next_thread + 1
   table.insert(threads, thread)
end

function init(args)
   sent = 0
   counts = {}
   no_retry_after = 0
   not_queue_full = 0
   local dir = os.getenv("LOAD_DIR") or "."
   ids = io.open(dir .. "/ids-" .. number .. ".txt", "w")
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   sent = sent + 1
   local tag = number .. "-" .. sent
   local body = '{"title": "Load test article ' .. tag .. '", "body": "Article '
      .. tag .. ' was posted by the ingest load test. Ministers met in Lisbon on Monday '
      .. 'to discuss the budget, and the central bank kept interest rates unchanged.", '
      .. '"url": "https://load.example.org/' .. tag .. '"}'
   return wrk.format(nil, "/v1/articles", nil, body)
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
   if status == 202 then
      for id in string.gmatch(body, '"ids":%["([^"]+)"') do
         ids:write(id, "\n")
      end
      ids:flush()
   elseif status == 503 then
      if headers["Retry-After"] == nil and headers["retry-after"] == nil then
         no_retry_after = no_retry_after + 1
      end
      if not string.find(body, "queue is full", 1, true) then
         not_queue_full = not_queue_full + 1
      end
   end
end

function done(summary, latency, requests)
   local total = {}
   local missing = 0
   local other = 0
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("counts")) do
         total[status] = (total[status] or 0) + n
      end
      missing = missing + thread:get("no_retry_after")
      other = other + thread:get("not_queue_full")
   end
   for status, n in pairs(total) do
      io.write(string.format("status %d: %d\n", status, n))
   end
   io.write(string.format("503 without Retry-After: %d\n", missing))
   io.write(string.format("503 for another reason than a full queue: %d\n", other))
   io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
