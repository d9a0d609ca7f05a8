-- wrk script for bench/submissions.py: every wrk thread has exactly one connection (run with -t N -c N),
-- so a thread's Lua state is one client: GET the form, take csrf_token (and QAF's per-page submission
-- token, where the page has one) from the page and the session cookie from Set-Cookie, POST the answers with both, expect 302 to the thank-you page, repeat.
--
-- Environment: BENCH_PATH (form URL path and query), BENCH_BODY (urlencoded answers, without the token),
-- BENCH_SECONDS (the measured window), BENCH_FILLER_PATH (see below), BENCH_OUT (file for done()'s figures).
--
-- Draining: after the window a client finishes the submission it has started (POST after a good GET), then
-- only sends GET BENCH_FILLER_PATH until wrk's --duration (longer than the window) ends. It must not simply
-- stop: wrk opens the next connection as soon as a response arrives (gunicorn's sync workers close every
-- connection), and an idle open connection holds a sync worker until gunicorn's timeout, so the other
-- clients' last POSTs would be stored only after wrk had given up on them. Figures (rate, latencies) count
-- only responses inside the window; "submitted" counts every 302, so that it can be checked against rows.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

local path = os.getenv("BENCH_PATH")
local answers = os.getenv("BENCH_BODY")
local filler_path = os.getenv("BENCH_FILLER_PATH")

-- Main state: one deadline shared by every thread, and the list of threads for done().
local threads = {}
local shared_deadline = nil

function setup(thread)
  if shared_deadline == nil then
    shared_deadline = now() + tonumber(os.getenv("BENCH_SECONDS"))
  end
  thread:set("deadline", shared_deadline)
  table.insert(threads, thread)
end

-- Thread state. Globals so that done() can read them with thread:get().
stats = {
  submitted = 0, -- POST answered 302 to the thank-you page
  in_window = 0, -- of which answered before the deadline
  get_failed = 0, -- GET answered with anything but 200
  no_token = 0, -- GET 200 without a csrf_token field or a Set-Cookie
  post_failed = 0, -- POST answered with anything but 302 to the thank-you page
  lost_get = 0, -- request sent, connection failed before the response
  lost_post = 0,
  first = 0, -- when the first GET was sent
}
post_ms = {}
submission_ms = {}
statuses = {}

local token, submission, cookie = nil, nil, nil
local pending = nil -- "get", "post" or "filler" while a request is outstanding
local answered = false -- whether any response has come yet
local sent_at, started_at = 0, 0
local get_request, filler_request = nil, nil

function request()
  local t = now()
  -- wrk calls request() once on the first thread's state to check the script: that is not a lost request.
  if pending ~= nil and answered then
    -- wrk reconnected after a socket error: that request got no response. Start a new submission.
    if pending ~= "filler" then
      stats["lost_" .. pending] = stats["lost_" .. pending] + 1
    end
    token = nil
  end
  sent_at = t
  if token ~= nil then
    pending = "post"
    local headers = { ["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
    local body = "csrf_token=" .. token .. "&" .. answers
    if submission ~= nil then
      body = body .. "&submission=" .. submission
    end
    return wrk.format("POST", path, headers, body)
  end
  if t >= deadline then
    pending = "filler"
    filler_request = filler_request or wrk.format("GET", filler_path)
    return filler_request
  end
  pending = "get"
  started_at = t
  if not answered then
    stats.first = t
  end
  get_request = get_request or wrk.format("GET", path)
  return get_request
end

local function count_status(kind, status)
  local key = kind .. " " .. status
  statuses[key] = (statuses[key] or 0) + 1
end

function response(status, headers, body)
  local t = now()
  local kind = pending
  answered = true
  pending = nil
  token = nil
  if kind == "get" then
    if status == 200 then
      local set_cookie = headers["Set-Cookie"] or headers["set-cookie"]
      token = body:match('name="csrf_token" value="([^"]+)"')
      submission = body:match('name="submission" value="([^"]+)"')
      cookie = set_cookie and set_cookie:match("^([^;]+)")
      if token == nil or cookie == nil then
        token = nil
        stats.no_token = stats.no_token + 1
      end
    else
      stats.get_failed = stats.get_failed + 1
      count_status(kind, status)
    end
  elseif kind == "post" then
    local location = headers["Location"] or headers["location"] or ""
    local inside = t < deadline
    if inside then
      post_ms[#post_ms + 1] = (t - sent_at) * 1000
    end
    if status == 302 and location:find("/thank-you", 1, true) then
      stats.submitted = stats.submitted + 1
      if inside then
        stats.in_window = stats.in_window + 1
        submission_ms[#submission_ms + 1] = (t - started_at) * 1000
      end
    else
      stats.post_failed = stats.post_failed + 1
      count_status(kind, status)
    end
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  out:write(string.format("deadline %.6f\n", shared_deadline))
  for name, value in pairs(summary.errors) do
    out:write(string.format("wrk_error %s %d\n", name, value))
  end
  for _, thread in ipairs(threads) do
    for name, value in pairs(thread:get("stats")) do
      out:write(string.format("stat %s %.6f\n", name, value))
    end
    for key, value in pairs(thread:get("statuses")) do
      out:write(string.format("status %s %d\n", key:gsub(" ", "_"), value))
    end
    for _, value in ipairs(thread:get("post_ms")) do
      out:write(string.format("post_ms %.3f\n", value))
    end
    for _, value in ipairs(thread:get("submission_ms")) do
      out:write(string.format("submission_ms %.3f\n", value))
    end
  end
  out:close()
end
