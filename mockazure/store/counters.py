"""Windowed counters counted in one atomic step (the rate-limit step of every metered request).

A `Counter` is a budget over a window: the window that holds `now` is opened (or found) and the
counter of that window is raised by `amount`. When any counter of the step goes over its
`limit`, every counter of the step is given its amount back (a refused request costs nothing).
The whole step is one lock (memory) or one Lua script (Redis): one round trip per request, and
exact across processes (two processes that both find an ended window cannot each open their own).
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Counter:
    key: str  # the counter's name in the namespace; `<key>:start` holds its window start
    amount: int
    length_s: float
    limit: int


@dataclass(frozen=True)
class Counted:
    starts: tuple[float, ...]  # each counter's window start
    used: tuple[int, ...]  # each counter's value after the step (after any give-back)
    exceeded: int | None  # the index of the first counter over its limit, or None


def next_window_start(stored: float | None, now: float, length_s: float) -> float | None:
    """The new window start for `now`, or None while the stored window still holds it."""
    if stored is None:
        return now
    if now - stored < length_s:
        return None
    return now - (now - stored) % length_s


def ttl_ms(ttl_s: float) -> int:
    return max(1, round(ttl_s * 1000))


# KEYS[2i-1]: counter i's window-start key; KEYS[2i]: its counter key without the start.
# ARGV: now, then per counter: amount, length, limit. Numbers travel as text; `%.17g` keeps a
# double exact, and the counter key ends with the start as the window step wrote it.
COUNT_SCRIPT = """
local now = tonumber(ARGV[1])
local n = #KEYS / 2
local starts, names, used = {}, {}, {}
local exceeded = 0
for i = 1, n do
  local amount = tonumber(ARGV[3 * i - 1])
  local length = tonumber(ARGV[3 * i])
  local limit = tonumber(ARGV[3 * i + 1])
  local raw = redis.call('GET', KEYS[2 * i - 1])
  local open = true
  if raw then
    local start = tonumber(raw)
    if now - start < length then
      open = false
    else
      raw = string.format('%.17g', now - ((now - start) % length))
    end
  else
    raw = ARGV[1]
  end
  if open then
    redis.call('SET', KEYS[2 * i - 1], raw, 'PX', math.max(1, math.floor(2000 * length + 0.5)))
  end
  starts[i] = raw
  names[i] = KEYS[2 * i] .. raw
  redis.call('SET', names[i], 0, 'PX', math.max(1, math.floor(1000 * length + 0.5)), 'NX')
  used[i] = redis.call('INCRBY', names[i], amount)
  if exceeded == 0 and used[i] > limit then exceeded = i end
end
if exceeded > 0 then
  for i = 1, n do
    -- 0 - x, not -x: Lua's -0 travels as "-0", which INCRBY refuses as not an integer.
    used[i] = redis.call('INCRBY', names[i], 0 - tonumber(ARGV[3 * i - 1]))
  end
end
local reply = {exceeded}
for i = 1, n do
  reply[#reply + 1] = starts[i]
  reply[#reply + 1] = used[i]
end
return reply
"""


def count_args(now: float, counters: Sequence[Counter]) -> list[str]:
    args = [repr(now)]
    for counter in counters:
        args += [str(counter.amount), repr(counter.length_s), str(counter.limit)]
    return args


def counted_from_reply(reply: list[object]) -> Counted:
    """The script's reply: [exceeded (1-based, 0 = none), start1, used1, start2, used2, ...]."""
    exceeded = int(str(reply[0]))
    pairs = reply[1:]
    starts = tuple(float(_text(pairs[i])) for i in range(0, len(pairs), 2))
    used = tuple(int(str(pairs[i])) for i in range(1, len(pairs), 2))
    return Counted(starts, used, exceeded - 1 if exceeded else None)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
