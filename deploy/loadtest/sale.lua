-- wrk script for sale creation: every request a new Idempotency-Key and a 3-line sale.
-- The harness appends `run_tag = "<random hex>"` and `bodies = { [[json]], ... }` (one sale per
-- branch): requests take the bodies in turn, as cashiers at several branches would.
-- Keys are run_tag-thread-counter: wrk's threads start with the same random seed, so a key drawn
-- from math.random would repeat across runs and be answered as a replay instead of a new sale.
local counter = 0
local turn = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

request = function()
  counter = counter + 1
  turn = turn % #bodies + 1
  wrk.headers["Idempotency-Key"] = "load-" .. run_tag .. "-" .. thread_number .. "-" .. counter
  return wrk.format("POST", wrk.path, wrk.headers, bodies[turn])
end
