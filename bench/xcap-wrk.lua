-- wrk (4.1, LuaJIT) script for bench/xcap-bench.sh. One script, four modes, chosen by environment:
--
--   XCAP_MODE      load | get | put | contended
--   XCAP_USERS     users PREFIX00001 .. (password pw-<name>)        XCAP_PREFIX  user name prefix
--   XCAP_ENTRIES   entries in the document's one list "friends"     XCAP_DOMAIN  SIP domain
--   XCAP_CONTENDED the user whose document every client writes in contended mode (default 1)
--
-- load       PUT of every user's whole document (application/resource-lists+xml), each user once;
--            thread i of T writes users i, i+T, i+2T, ... and stops when it has no more.
-- get        GET of a random user's whole document. Stateless, so any number of connections per
--            thread; latency is wrk's own (per request, microseconds).
-- put        GET of a random user's document (learns the ETag), then PUT of one <entry> element
--            (application/xcap-el+xml) with If-Match: that ETag. The entry is one of ENTRIES + 10%
--            URIs: an existing one is replaced, one of the extra ones added the first time.
-- contended  as put, but every client on the same document (XCAP_CONTENDED), so a PUT gets 412
--            whenever another client changed the document between its GET and its PUT.
--
-- load, put and contended keep state per connection, which wrk only lets a script keep per thread:
-- run them with exactly one connection per thread (-t N -c N). They time each request themselves
-- (CLOCK_MONOTONIC through LuaJIT's FFI, from the request's creation just before it is written to its
-- response being parsed) and done() prints one line "RESULT key=value ..." for the driver.
-- Every request authenticates as the document's owner with HTTP Basic.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } xcap_timespec;
  int clock_gettime(int clk, xcap_timespec *tp);
  int getpid(void);
  int kill(int pid, int sig);
]]
local ts = ffi.new("xcap_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local MODE = os.getenv("XCAP_MODE") or "get"
local USERS = tonumber(os.getenv("XCAP_USERS") or "1000")
local ENTRIES = tonumber(os.getenv("XCAP_ENTRIES") or "100")
local PREFIX = os.getenv("XCAP_PREFIX") or "xcap"
local DOMAIN = os.getenv("XCAP_DOMAIN") or "localhost"
local CONTENDED = tonumber(os.getenv("XCAP_CONTENDED") or "1")
local MARKS = os.getenv("XCAP_MARKS")   -- load: directory for the "thread done" marker files
local EXTRA = math.max(1, math.floor(ENTRIES / 10))

-- ---- helpers --------------------------------------------------------------------------------------
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = B64:sub(c1 + 1, c1 + 1) .. B64:sub(c2 + 1, c2 + 1)
      .. (b and B64:sub(c3 + 1, c3 + 1) or "=") .. (c and B64:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

local function name(u) return string.format("%s%05d", PREFIX, u) end

local auth_cache = {}
local function auth(u)
  local a = auth_cache[u]
  if not a then
    local n = name(u)
    a = "Basic " .. base64(n .. ":pw-" .. n)
    auth_cache[u] = a
  end
  return a
end

local function doc_path(u)
  return "/xcap-root/resource-lists/users/sip:" .. name(u) .. "@" .. DOMAIN .. "/index"
end

local function entry_uri(j) return string.format("sip:contact-%03d@example.org", j) end

local function entry_xml(j, label)
  return '<entry uri="' .. entry_uri(j) .. '"><display-name>' .. label .. '</display-name></entry>'
end

local function document()
  local parts = { '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">\n<list name="friends">\n' }
  for j = 1, ENTRIES do parts[#parts + 1] = entry_xml(j, "Contact " .. j) .. "\n" end
  parts[#parts + 1] = "</list>\n</resource-lists>\n"
  return table.concat(parts)
end

local function element_path(u, j)
  return doc_path(u) .. "/~~/resource-lists/list%5b@name=%22friends%22%5d/entry%5b@uri=%22"
    .. entry_uri(j) .. "%22%5d"
end

local function etag_of(headers)
  for k, v in pairs(headers) do
    if k:lower() == "etag" then return v end
  end
  return nil
end

-- ---- main thread: remember the threads, hand each its number --------------------------------------
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  threads[#threads + 1] = thread
end

-- ---- per thread -----------------------------------------------------------------------------------
-- globals, so that done() can read them with thread:get
tid = 0
nthreads = 1
get_lat = {}
put_lat = {}
n_get_ok, n_get_bad, n_put_ok, n_put_412, n_put_bad, n_resent = 0, 0, 0, 0, 0, 0
first_bad = ""
t_first, t_last = -1, -1   -- load: first request sent, last response received (microseconds)

local phase = "get"       -- put/contended: what the next request is
local inflight = nil      -- kind of the request in flight ("get" / "put" / "load"), nil when none
local t_sent = 0
local user = 1
local etag = nil
local seq = 0
local next_user = 0
local body_doc = nil

function init(args)
  nthreads = tonumber(os.getenv("XCAP_THREADS") or "1")
  math.randomseed(tid * 7919 + os.time())
  if MODE == "load" then
    body_doc = document()
    next_user = tid
  end
end

local function note_bad(status, body)
  if first_bad == "" then first_bad = tostring(status) .. " " .. (body or ""):sub(1, 160):gsub("%s+", " ") end
end

-- load: this thread has written all its users. wrk's main thread sleeps for the whole -d, so the last
-- thread to finish interrupts it with SIGINT (what wrk does on Ctrl-C: stop and report); each thread
-- leaves a marker file before looking for the others', so the last one always sees them all.
local finished = false
local function finish()
  if finished then return end
  finished = true
  wrk.thread:stop()
  if not MARKS then return end
  local f = io.open(MARKS .. "/done." .. tid, "w")
  if f then f:close() end
  for i = 1, nthreads do
    local g = io.open(MARKS .. "/done." .. i, "r")
    if not g then return end
    g:close()
  end
  ffi.C.kill(ffi.C.getpid(), 2)
end

local pending = nil          -- the request in flight, as sent

-- wrk asks for a request again without a response in between when the first write of one would
-- block (it rebuilds an unwritten request) or when it re-opens a connection: send the same one again.
function request()
  if inflight then
    n_resent = n_resent + 1
    t_sent = now_us()
    return pending
  end
  pending = make_request()
  return pending
end

function make_request()
  if MODE == "get" then
    local u = math.random(1, USERS)
    return wrk.format("GET", doc_path(u), { ["Authorization"] = auth(u) })
  elseif MODE == "load" then
    if next_user > USERS then   -- nothing left; only reached if wrk asks once more before stopping
      return wrk.format("GET", doc_path(tid), { ["Authorization"] = auth(tid) })
    end
    user = next_user
    next_user = next_user + nthreads
    inflight = "load"
    t_sent = now_us()
    if t_first < 0 then t_first = t_sent end
    return wrk.format("PUT", doc_path(user), {
      ["Authorization"] = auth(user), ["Content-Type"] = "application/resource-lists+xml" }, body_doc)
  end
  -- put / contended
  if phase == "get" then
    user = (MODE == "contended") and CONTENDED or math.random(1, USERS)
    inflight = "get"
    t_sent = now_us()
    return wrk.format("GET", doc_path(user), { ["Authorization"] = auth(user) })
  end
  seq = seq + 1
  local j = math.random(1, ENTRIES + EXTRA)
  inflight = "put"
  t_sent = now_us()
  return wrk.format("PUT", element_path(user, j), {
    ["Authorization"] = auth(user), ["Content-Type"] = "application/xcap-el+xml", ["If-Match"] = etag },
    entry_xml(j, "Contact " .. j .. " t" .. tid .. "." .. seq))
end

function response(status, headers, body)
  local kind = inflight
  inflight = nil
  pending = nil
  local t = now_us()
  if MODE == "load" then
    if kind == "load" then
      put_lat[#put_lat + 1] = t - t_sent
      t_last = t
      if status == 200 or status == 201 then n_put_ok = n_put_ok + 1
      else n_put_bad = n_put_bad + 1; note_bad(status, body) end
    end
    if next_user > USERS then finish() end
    return
  end
  if kind == nil then return end
  local dt = t - t_sent
  if kind == "get" then
    get_lat[#get_lat + 1] = dt
    etag = (status == 200) and etag_of(headers) or nil
    if etag then
      n_get_ok = n_get_ok + 1
      phase = "put"
    else
      n_get_bad = n_get_bad + 1; note_bad(status, body)
    end
  else
    put_lat[#put_lat + 1] = dt
    if status == 200 or status == 201 then n_put_ok = n_put_ok + 1
    elseif status == 412 then n_put_412 = n_put_412 + 1
    else n_put_bad = n_put_bad + 1; note_bad(status, body) end
    phase = "get"
  end
end

-- ---- main thread: one line for the driver ---------------------------------------------------------
local function pct(sorted, p)   -- nearest rank
  if #sorted == 0 then return -1 end
  local rank = math.max(1, math.ceil(p * #sorted / 100))
  return sorted[math.min(rank, #sorted)]
end

function done(summary, latency, requests)
  local all_get, all_put = {}, {}
  local c = { get_ok = 0, get_bad = 0, put_ok = 0, put_412 = 0, put_bad = 0, resent = 0 }
  local bad = ""
  local first, last = -1, -1
  for _, t in ipairs(threads) do
    local f, l = t:get("t_first"), t:get("t_last")
    if f >= 0 and (first < 0 or f < first) then first = f end
    if l > last then last = l end
    for _, v in ipairs(t:get("get_lat") or {}) do all_get[#all_get + 1] = v end
    for _, v in ipairs(t:get("put_lat") or {}) do all_put[#all_put + 1] = v end
    c.get_ok = c.get_ok + t:get("n_get_ok")
    c.get_bad = c.get_bad + t:get("n_get_bad")
    c.put_ok = c.put_ok + t:get("n_put_ok")
    c.put_412 = c.put_412 + t:get("n_put_412")
    c.put_bad = c.put_bad + t:get("n_put_bad")
    c.resent = c.resent + t:get("n_resent")
    if bad == "" then bad = t:get("first_bad") or "" end
  end
  table.sort(all_get)
  table.sort(all_put)
  local e = summary.errors
  local line = string.format(
    "RESULT mode=%s requests=%d duration_us=%d sock_errors=%d timeouts=%d status_errors=%d"
      .. " wrk_p50_us=%.0f wrk_p99_us=%.0f wrk_max_us=%.0f"
      .. " get_ok=%d get_bad=%d put_ok=%d put_412=%d put_bad=%d resent=%d"
      .. " get_p50_us=%.0f get_p99_us=%.0f put_p50_us=%.0f put_p99_us=%.0f load_us=%.0f",
    MODE, summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max,
    c.get_ok, c.get_bad, c.put_ok, c.put_412, c.put_bad, c.resent,
    pct(all_get, 50), pct(all_get, 99), pct(all_put, 50), pct(all_put, 99),
    (first >= 0 and last >= first) and (last - first) or -1)
  io.write(line .. "\n")
  if bad ~= "" then io.write("FIRST_BAD " .. bad .. "\n") end
end
