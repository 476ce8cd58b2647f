-- wrk script: each request goes to a random one of a page's targets (user cookie, object id),
-- so that 20 connections act as many users. Usage:
--   wrk -t2 -c20 -d30s -s bench/load.lua http://127.0.0.1:PORT -- PAGE.lua THREADS
-- Saving a note (POST) keeps each draft's revision: a draft is lent to one request at a
-- time, and comes back with the revision its response gives.
-- done() prints one JSON line: latency percentiles (ms), requests, errors, statuses.

local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local entries = dofile(args[1])
  bad = 0
  statuses = ""
  mine = {}
  -- Each thread takes every n-th entry, so no draft is shared between threads.
  local n = tonumber(args[2] or 0)
  for i, entry in ipairs(entries) do
    if n == 0 or ((i - 1) % n) + 1 == number then
      table.insert(mine, entry)
    end
  end
  if #mine == 0 then mine = entries end
  math.randomseed(number * 7919)
  if mine[1].method == "POST" then
    posting = true
    free = {}
    byid = {}
    for _, entry in ipairs(mine) do
      entry.id = string.match(entry.path, "/sessions/([%x%-]+)/")
      byid[entry.id] = entry
      table.insert(free, entry)
    end
  else
    posting = false
    requests = {}
    for i, entry in ipairs(mine) do
      requests[i] = wrk.format("GET", entry.path, { Cookie = entry.cookie })
    end
  end
end

function request()
  if not posting then
    return requests[math.random(#requests)]
  end
  local entry = table.remove(free, 1) or mine[math.random(#mine)]
  return wrk.format("POST", entry.path, {
    Cookie = entry.cookie,
    ["X-CSRFToken"] = entry.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, entry.body .. entry.revision)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
  if posting then
    local id = body and string.match(body, "/sessions/([%x%-]+)/autosave/")
    local revision = body and string.match(body, '"revision": (%d+)')
    local entry = id and byid[id]
    if entry and revision then
      entry.revision = tonumber(revision)
      table.insert(free, entry)
    end
  end
end

function done(summary, latency, requests)
  local bad_total, seen = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
    seen = seen .. (thread:get("statuses") or "")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, ' ..
    '"mean": %.2f, "max": %.2f, "non_200": %d, "socket_errors": %d, "statuses": "%s"}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000, bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seen))
end
