-- wrk script for sale creation: every request a new Idempotency-Key and a 3-line sale.
-- EWTTO_SALE_BODY (JSON) is read from the environment by the harness and passed as wrk.body.
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))

request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "load-" .. thread_tag .. "-" .. counter
  return wrk.format("POST", wrk.path, wrk.headers, wrk.body)
end

setup = function(thread)
  math.randomseed(os.time() + math.random(1, 1e6))
end

init = function(args)
  thread_tag = tostring(math.random(1, 1e9)) .. tostring(os.clock())
end
