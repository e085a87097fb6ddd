-- wrk script: GET the lesson player page, signed in, cycling over the benchmark learners.
-- Arguments: see learners.lua.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local learners = dofile(here .. "learners.lua")

setup = learners.setup

function init(args)
  local requests = learners.requests(args, function(headers, path)
    return wrk.format("GET", path, headers)
  end)
  request = learners.cycle(requests)
end
