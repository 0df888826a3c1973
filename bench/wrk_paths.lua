-- wrk script for bench/http_load.py: GET the paths listed in a file (one per line, given after `--`),
-- round-robin, each thread from its own offset, with a phone browser's headers. Prints one JSON line.
-- A second argument "close" asks for a new connection per request (servers without keep-alive).
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local paths, i = {}, 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  i = ((id or 0) * 37) % #paths
  if args[2] == "close" then headers["Connection"] = "close" end
end

headers = {
  ["Accept-Encoding"] = "gzip, deflate, br",
  ["Accept-Language"] = "ja,en;q=0.8",
  ["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) bench/http_load",
}

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
