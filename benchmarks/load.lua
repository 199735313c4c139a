-- wrk script for benchmarks/load.sh: POSTs the example melody to /v1/completions with the tenant's API key at a steady
-- rate (open loop: each thread keeps a schedule of send times, so a slow answer does not lower the rate while
-- connections are free), and counts the answers by status and the bars billed in the successful ones.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } merlai_timeval;
int gettimeofday(merlai_timeval *tv, void *tz);
]]
local tv = ffi.new("merlai_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local song = io.open(os.getenv("LOAD_SONG")):read("*a")
wrk.method = "POST"
wrk.body = '{"score": ' .. song .. ', "seed": 7}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LOAD_API_KEY")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  bars = 0
  interval = 1000 * tonumber(os.getenv("LOAD_THREADS")) / tonumber(os.getenv("LOAD_RATE"))
  next_at = nil
end

function delay()
  local now = now_ms()
  next_at = (next_at or now) + interval
  return math.max(0, next_at - now)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then bars = bars + tonumber(body:match('"bars":(%d+)') or 0) end
end

function done(summary, latency, requests)
  local all, billed = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + count end
    billed = billed + thread:get("bars")
  end
  io.write(string.format("requests %d in %.1f s (%.2f/s), errors: connect %d read %d write %d timeout %d\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency ms: median %.1f p90 %.1f p99 %.1f max %.1f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for status, count in pairs(all) do io.write(string.format("status %d: %d\n", status, count)) end
  io.write(string.format("answered-bars %d\n", billed))
end
