-- wrk script for http_suite.py (wrk 4.1 from Debian: `apt-get install -y wrk`).
--
--   BENCH_MODE=signed BENCH_BODIES=file wrk -t2 -c16 -d3s -s benchmarks/wrk_bench.lua http://127.0.0.1:8851/webhooks/whatsapp/
--
-- Modes (BENCH_MODE):
--   signed  POST each line of BENCH_BODIES ("<X-Hub-Signature-256>\t<json body>", written by
--           http_suite.py: wrk's Lua has no HMAC) to the URL's path, each thread its share in turn;
--   get     GET the URL's path;
--   mixed   BENCH_MIX (e.g. "wwwwwaaatd": w signed delivery, a availability, t agent turn,
--           d bare Django view) in turn, with BENCH_API_KEY, BENCH_DATES ("in,out;in,out;…")
--           and BENCH_TURN_TEXT.
-- done() prints one line "BENCH {…}" (JSON) that http_suite.py reads.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local common_headers = {["X-Forwarded-Proto"] = "https", ["Host"] = "127.0.0.1"}

local function headers(extra)
  local all = {}
  for k, v in pairs(common_headers) do all[k] = v end
  for k, v in pairs(extra or {}) do all[k] = v end
  return all
end

local function load_bodies(path, nthreads, url_path)
  local list, i = {}, 0
  for line in io.lines(path) do
    if i % nthreads == id then
      local signature, body = line:match("^(%S+)\t(.*)$")
      list[#list + 1] = wrk.format("POST", url_path, headers({
        ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signature}), body)
    end
    i = i + 1
  end
  return list
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "get"
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  ok, bad, last_bad, wraps, index, sent = 0, 0, 0, 0, 0, 0
  if mode == "signed" or mode == "mixed" then
    bodies = load_bodies(os.getenv("BENCH_BODIES"), nthreads, mode == "signed" and wrk.path or "/webhooks/whatsapp/")
  end
  if mode == "get" then plain = wrk.format("GET", wrk.path, headers()) end
  if mode == "mixed" then
    mix = os.getenv("BENCH_MIX")
    api = headers({["Authorization"] = "Api-Key " .. os.getenv("BENCH_API_KEY")})
    dates = {}
    for stay in (os.getenv("BENCH_DATES") or ""):gmatch("[^;]+") do
      local check_in, check_out = stay:match("([^,]+),([^,]+)")
      dates[#dates + 1] = wrk.format("GET", "/api/v1/availability/?check_in=" .. check_in ..
        "&check_out=" .. check_out .. "&guests=2", api)
    end
    turn_text = os.getenv("BENCH_TURN_TEXT")
    bare = wrk.format("GET", "/bench/django/", headers())
  end
end

local function next_body()
  index = index + 1
  if index > #bodies then index = 1; wraps = wraps + 1 end
  return bodies[index]
end

local function mixed()
  sent = sent + 1
  local kind = mix:sub((sent - 1) % #mix + 1, (sent - 1) % #mix + 1)
  if kind == "w" then return next_body() end
  if kind == "a" then return dates[sent % #dates + 1] end
  if kind == "t" then
    local body = '{"sender":"wrk-' .. id .. '-' .. sent .. '-' .. os.time() .. '","text":"' .. turn_text .. '"}'
    local h = {}
    for k, v in pairs(api) do h[k] = v end
    h["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/messages/", h, body)
  end
  return bare
end

function request()
  if mode == "signed" then return next_body() end
  if mode == "mixed" then return mixed() end
  return plain
end

function response(status, hdrs, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1; last_bad = status end
end

function done(summary, latency, requests)
  local ok_total, bad_total, wraps_total, last = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + (thread:get("ok") or 0)
    bad_total = bad_total + (thread:get("bad") or 0)
    wraps_total = wraps_total + (thread:get("wraps") or 0)
    local lb = thread:get("last_bad") or 0
    if lb > 0 then last = lb end
  end
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %.6f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "ok": %d, "non2xx": %d, "last_bad_status": %d, "wraps": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, ok_total, bad_total, last, wraps_total,
    e.connect + e.read + e.write + e.timeout))
end
