"""The rendered-bytes cache (embeddings, pictures) stays within its byte budget, drops the
least recently used first, and never keeps one entry large enough to flush the rest."""

from mockazure.generators.byte_cache import LARGEST_SHARE, ByteCache


def _key(text: str) -> str:
    return text


def test_cache_drops_least_recently_used_within_its_budget() -> None:
    cache = ByteCache[str](budget_bytes=16 * 1000)
    value = b"x" * 900  # weighs 904 with its key: 17 fit
    for n in range(17):
        cache.put(_key(f"t{n:02d}"), value, key_bytes=4)
    assert len(cache) == 17
    assert cache.get(_key("t00")) == value  # used: now the most recent
    cache.put(_key("t17"), value, key_bytes=4)
    assert cache.get(_key("t01")) is None  # the least recently used went first
    assert cache.get(_key("t00")) == value
    for n in range(18, 60):
        cache.put(_key(f"t{n:02d}"), value, key_bytes=4)
        assert cache.bytes_held <= cache.budget_bytes
    assert len(cache) == 17
    assert cache.get(_key("t00")) is None
    assert cache.get(_key("t59")) == value


def test_cache_counts_a_replaced_entry_once() -> None:
    cache = ByteCache[str](budget_bytes=16 * 1000)
    for _ in range(5):
        cache.put(_key("same"), b"y" * 100, key_bytes=5)
    assert len(cache) == 1
    assert cache.bytes_held == 100 + 4 + 1


def test_cache_does_not_keep_an_entry_too_large_for_its_share() -> None:
    cache = ByteCache[str](budget_bytes=16 * 1000)
    cache.put(_key("small"), b"s")
    cache.put(_key("huge"), b"h" * (cache.budget_bytes // LARGEST_SHARE), key_bytes=4)
    assert cache.get(_key("huge")) is None
    assert cache.get(_key("small")) == b"s"
