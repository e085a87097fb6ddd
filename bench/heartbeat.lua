-- wrk script: POST a player heartbeat, signed in with the CSRF header, cycling over the learners.
-- Arguments: see learners.lua.
--
-- The intervals list is empty on purpose: the server refuses claims beyond the wall-clock budget
-- since the last heartbeat (DESIGN §5), which thousands of heartbeats a second would exceed. An
-- empty heartbeat still does the full work: the user and progress loads, validation, the budget
-- check and the versioned update of the progress row.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local learners = dofile(here .. "learners.lua")

local BODY = '{"intervals": [], "position": 12.5, "rate": 1}'

setup = learners.setup

function init(args)
  local requests = learners.requests(args, function(headers, path)
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", path, headers, BODY)
  end)
  request = learners.cycle(requests)
end
