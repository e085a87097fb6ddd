-- Shared by player.lua and heartbeat.lua (loaded with dofile).
--
-- Script arguments (after wrk's "--"): learners file, number of wrk threads, request path, and
-- the User-Agent the sessions were signed in with (Flask-Login's session protection checks it).
-- The learners file has one signed-in learner a line: "Cookie header<TAB>X-CSRFToken value".
--
-- Each wrk thread takes its own slice of the learners and cycles through it, so no two
-- connections work on one learner's progress row at the same moment: real traffic is many
-- learners, and one learner hammered by every connection would measure the optimistic lock's
-- conflicts instead of throughput. Requests are formatted once in init, so the load generator
-- spends its CPU (shared with the server on a small machine) on sending, not on Lua.

local learners = {}
local threads_set_up = 0

-- Runs in wrk's main Lua state, once per thread: number the threads.
function learners.setup(thread)
  threads_set_up = threads_set_up + 1
  thread:set("thread_number", threads_set_up)
end

local function read_lines(path)
  local file = assert(io.open(path, "r"), "cannot open learners file " .. tostring(path))
  local lines = {}
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  return lines
end

-- Runs in each thread's Lua state: this thread's requests, formatted by make_request(headers, path).
function learners.requests(args, make_request)
  local path, threads, user_agent = args[3], tonumber(args[2]), args[4]
  local requests = {}
  for index, line in ipairs(read_lines(args[1])) do
    if (index - 1) % threads == thread_number - 1 then
      local cookie, csrf = line:match("^([^\t]+)\t(.+)$")
      local headers = { ["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["User-Agent"] = user_agent }
      requests[#requests + 1] = make_request(headers, path)
    end
  end
  assert(#requests > 0, "no learners for wrk thread " .. thread_number .. ": give at least one per thread")
  return requests
end

-- A request() that cycles through the prepared requests.
function learners.cycle(requests)
  local next_index = 0
  return function()
    next_index = next_index % #requests + 1
    return requests[next_index]
  end
end

return learners
