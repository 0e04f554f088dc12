-- wrk script for benchmarks/survey_submissions.py: each wrk thread POSTs its share of the respondents'
-- answers, each to the respondent's own personal link, once, with that respondent's CSRF cookie and token.
--
--   wrk -t N -c N -s survey_submissions.lua URL -- DATA_FILE N OUT_DIR
--
-- DATA_FILE has one line per respondent: token, cookie, form body (tab-separated). Thread i takes the lines
-- i, i + N, i + 2N, ... Each thread has one connection, so its requests and responses alternate, and it
-- moves to its next respondent only when a response comes back (wrk also calls request() once before the
-- run to check it, and again after a broken connection: both get the same respondent). Every response is
-- written to OUT_DIR/thread-<i>.txt with the monotonic clock ("ok TOKEN T", "bad TOKEN STATUS T", after
-- "start T" for the first request); when a thread has a response for every one of its respondents it
-- writes OUT_DIR/done-<i> and stops. The benchmark then stops wrk. (A stopped thread leaves the connection
-- wrk opened for its next request idle, and a sync worker of the server waits on it: so the benchmark
-- never uses more connections than the server has workers.)

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } wc_timespec;
int clock_gettime(int clock_id, wc_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local clock = ffi.new("wc_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local items = {}
local position = 1
local started = false
local out
local out_dir

function init(args)
  local path, count = args[1], tonumber(args[2])
  out_dir = args[3]
  local line_number = 0
  for line in io.lines(path) do
    if line_number % count == id then
      local token, cookie, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      table.insert(items, { token = token, cookie = cookie, body = body })
    end
    line_number = line_number + 1
  end
  out = io.open(out_dir .. "/thread-" .. id .. ".txt", "w")
  out:setvbuf("line")
end

function request()
  local item = items[position]
  if item == nil then
    return wrk.format("GET", "/healthz")
  end
  if not started then
    started = true
    out:write(string.format("start %.6f\n", now()))
  end
  return wrk.format("POST", "/s/" .. item.token .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. item.cookie,
  }, item.body)
end

function response(status, headers, body)
  local item = items[position]
  if item == nil then
    return
  end
  local t = now()
  local location = headers["Location"] or headers["location"] or ""
  local sent = "/s/" .. item.token .. "/sent/"
  if status == 302 and location:sub(-#sent) == sent then
    out:write(string.format("ok %s %.6f\n", item.token, t))
  else
    out:write(string.format("bad %s %d %.6f\n", item.token, status, t))
  end
  position = position + 1
  if position > #items then
    io.open(out_dir .. "/done-" .. id, "w"):close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  io.write(string.format(
    "wrk: requests %d, latency p50 %d us, p95 %d us, p99 %d us, max %d us; "
      .. "errors connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout
  ))
end
