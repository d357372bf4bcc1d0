"""Numbered pushes: a value pushed onto a list with the next number of a counter written into
it, in the same step (the journal's entry ids).

The value carries a one-byte placeholder `0` at a known offset (`Numbering.at`); the store
replaces it with the counter's next value as it pushes. On Redis the count and the pushes of a
whole writer batch are one script (`PUSH_SCRIPT`), sent in the same round trip as the batch's
other pushes, instead of one counter round trip per entry before the push (issue 16: that was
most of the writer thread's time). Numbers are taken in push order, so within one list they
increase with the position; the counter never expires, so a number is never given twice.
"""

from dataclasses import dataclass

FOREVER_S = 10.0**10  # the counter's lifetime in a store that needs one (memory): never ends


@dataclass(frozen=True)
class Numbering:
    namespace: str  # the counter's namespace and key in the store
    key: str
    at: int  # the offset of the placeholder byte (`0`) in every value numbered by it


def check_placeholder(value: bytes, at: int) -> None:
    """ValueError unless `value` holds the placeholder at `at` (before a number is taken)."""
    if value[at : at + 1] != b"0":
        raise ValueError(f"no number placeholder at offset {at}")


def numbered(value: bytes, at: int, number: int) -> bytes:
    """`value` with its placeholder at `at` replaced by `number`."""
    check_placeholder(value, at)
    return b"%b%d%b" % (value[:at], number, value[at + 1 :])


# KEYS[1]: the list, KEYS[2]: the counter. ARGV[1]: the list's length bound, ARGV[2]: the
# placeholder's offset (0-based), then a flag (`1`: numbered, `0`: as it is) and a value per
# pushed item, in order. One INCRBY for all the numbered ones; returns the last number given
# (0 when none was numbered). `%d`: Lua's own number-to-text would switch to an exponent.
PUSH_SCRIPT = """
local at = tonumber(ARGV[2])
local count = 0
for i = 3, #ARGV, 2 do
  if ARGV[i] == '1' then count = count + 1 end
end
local last = 0
if count > 0 then last = redis.call('INCRBY', KEYS[2], count) end
local n = last - count
local values = {}
for i = 3, #ARGV, 2 do
  local v = ARGV[i + 1]
  if ARGV[i] == '1' then
    n = n + 1
    v = string.sub(v, 1, at) .. string.format('%d', n) .. string.sub(v, at + 2)
  end
  values[#values + 1] = v
end
redis.call('RPUSH', KEYS[1], unpack(values))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
return last
"""
