-- wrk script for sale creation: every request a new Idempotency-Key and a 3-line sale.
-- The harness appends `bodies = { [[json]], ... }` (one sale per branch): requests take them in turn,
-- as cashiers at several branches would.
local counter = 0
local turn = 0
local thread_tag = tostring(math.random(1, 1e9))

request = function()
  counter = counter + 1
  turn = turn % #bodies + 1
  wrk.headers["Idempotency-Key"] = "load-" .. thread_tag .. "-" .. counter
  return wrk.format("POST", wrk.path, wrk.headers, bodies[turn])
end

setup = function(thread)
  math.randomseed(os.time() + math.random(1, 1e6))
end

init = function(args)
  thread_tag = tostring(math.random(1, 1e9)) .. tostring(os.clock())
end
