-- A products page at a random offset, so that most requests miss the catalogue cache.
-- ALLORA_BENCH_PERCENT_RANDOM (default 100) of the requests go to a random page, the rest to the
-- first page; ALLORA_BENCH_MAX_OFFSET bounds the offset.
local max_offset = tonumber(os.getenv("ALLORA_BENCH_MAX_OFFSET") or "9950")
local percent = tonumber(os.getenv("ALLORA_BENCH_PERCENT_RANDOM") or "100")

request = function()
  if math.random(1, 100) <= percent then
    return wrk.format(nil, "/api/products/?limit=50&offset=" .. math.random(0, max_offset))
  end
  return wrk.format(nil, "/api/products/?limit=50")
end
