-- soak.lua — the wrk script of `make soak` (bench/soak.py passes the paths as arguments).
-- Rotates over the paths; a path written "!/x" is sent with the harmless cookie bsl_pre=x, which
-- bypasses the server's cache of anonymous answers, so the page is rendered from the database.
-- No response() callback: it would make wrk copy every body into Lua and cost 15 % of the
-- throughput; wrk counts answers >= 400 itself (summary.errors.status) and soak.py checks that
-- each path answers 200 before and after the run. Prints one line at the end:
--   SOAK {"requests":N,"duration_us":N,"errors":{...},"latency_us":{...}}

local paths, i = {}, 0
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   for _, a in ipairs(args) do
      table.insert(paths, a)
   end
   i = id or 0 -- the threads start at different places in the rotation
end

function request()
   i = i % #paths + 1
   local p = paths[i]
   if p:sub(1, 1) == "!" then
      return wrk.format("GET", p:sub(2), {["Cookie"] = "bsl_pre=x"})
   end
   return wrk.format("GET", p)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'SOAK {"requests":%d,"duration_us":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean))
end
