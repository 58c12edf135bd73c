-- Counts responses per HTTP status across wrk's threads and prints machine-readable lines
-- (BENCH key value) that bench_status_view.py parses. Latencies are in microseconds.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("BENCH status_%d %d\n", status, count))
  end
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH timeouts %d\n", summary.errors.timeout))
  io.write(string.format("BENCH errors %d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write))
  for _, p in ipairs({50, 99}) do
    io.write(string.format("BENCH p%d_us %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("BENCH max_us %d\n", latency.max))
end
