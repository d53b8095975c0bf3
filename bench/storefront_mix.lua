-- A storefront's traffic, drawn at random for each request (wrk -s bench/storefront_mix.lua).
--
-- ALLORA_BENCH_IDS      file of product ids, one a line; under Zipf, line k is the k-th most
--                       popular product (the harness shuffles the catalogue into this order)
-- ALLORA_BENCH_COOKIES  file of session tokens (the `token` cookie), one a line
-- ALLORA_BENCH_ZIPF     "1": product ids follow Zipf(1) popularity; otherwise uniform
-- ALLORA_BENCH_MIX      weights of the kinds of request, default
--                       "detail=35,listing=25,search=10,comments=15,me=15"
-- ALLORA_BENCH_CATEGORIES, ALLORA_BENCH_WORDS  comma-separated categories and search words
--
-- detail    GET /api/products/<id>/
-- listing   GET /api/products/?limit=20&offset=<0..180 by 20>&sort=<newest|price|-price|score>,
--           half of them with &category=<one of the catalogue's>
-- search    GET /api/products/?limit=20&q=<word>
-- comments  GET /api/comments/?productID=<id>
-- me        GET /api/auth/me/ with Cookie: token=<one of the users'>
--
-- No response() callback (it would make wrk parse every response and slow it down): done()
-- prints the non-2xx count from summary.errors.status.

local SORTS = { "newest", "price", "-price", "score" }

local function split(text, sep)
  local out = {}
  for item in string.gmatch(text or "", "[^" .. sep .. "]+") do
    out[#out + 1] = item
  end
  return out
end

local function lines(path)
  local out = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then
      out[#out + 1] = line
    end
  end
  file:close()
  return out
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

local ids, cookies, categories, words
local kinds, weights, total_weight = {}, {}, 0
local zipf, cumulative = false, nil
local pick_id

function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  ids = lines(os.getenv("ALLORA_BENCH_IDS"))
  local cookie_file = os.getenv("ALLORA_BENCH_COOKIES")
  cookies = {}
  if cookie_file and #cookie_file > 0 then
    for _, token in ipairs(lines(cookie_file)) do
      cookies[#cookies + 1] = { Cookie = "token=" .. token }
    end
  end
  categories = split(os.getenv("ALLORA_BENCH_CATEGORIES"), ",")
  words = split(os.getenv("ALLORA_BENCH_WORDS") or "shirt,wool,classic,linen", ",")
  local mix = os.getenv("ALLORA_BENCH_MIX") or "detail=35,listing=25,search=10,comments=15,me=15"
  for _, entry in ipairs(split(mix, ",")) do
    local kind, weight = string.match(entry, "(%w+)=(%d+)")
    kinds[#kinds + 1] = kind
    total_weight = total_weight + tonumber(weight)
    weights[#weights + 1] = total_weight
  end
  zipf = os.getenv("ALLORA_BENCH_ZIPF") == "1"
  if zipf then
    -- cumulative[k] = 1/1 + 1/2 + ... + 1/k; a uniform draw below cumulative[n] picks rank k
    -- with probability (1/k) / cumulative[n].
    cumulative = {}
    local sum = 0
    for k = 1, #ids do
      sum = sum + 1 / k
      cumulative[k] = sum
    end
  end
end

local function zipf_rank()
  local target = math.random() * cumulative[#cumulative]
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < target then
      low = middle + 1
    else
      high = middle
    end
  end
  return low
end

local function product_id()
  if zipf then
    return ids[zipf_rank()]
  end
  return ids[math.random(1, #ids)]
end

local function kind_of_request()
  local draw = math.random() * total_weight
  for i = 1, #kinds do
    if draw < weights[i] then
      return kinds[i]
    end
  end
  return kinds[#kinds]
end

request = function()
  local kind = kind_of_request()
  if kind == "detail" then
    return wrk.format("GET", "/api/products/" .. product_id() .. "/")
  elseif kind == "listing" then
    local path = "/api/products/?limit=20&offset=" .. (20 * math.random(0, 9))
      .. "&sort=" .. SORTS[math.random(1, #SORTS)]
    if #categories > 0 and math.random(1, 2) == 1 then
      path = path .. "&category=" .. categories[math.random(1, #categories)]
    end
    return wrk.format("GET", path)
  elseif kind == "search" then
    return wrk.format("GET", "/api/products/?limit=20&q=" .. words[math.random(1, #words)])
  elseif kind == "comments" then
    return wrk.format("GET", "/api/comments/?productID=" .. product_id())
  elseif kind == "me" then
    return wrk.format("GET", "/api/auth/me/", cookies[math.random(1, #cookies)])
  end
  error("unknown kind of request: " .. tostring(kind))
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
