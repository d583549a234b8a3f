from services.ingest.cache import UnitCache, cache_key
from shared.units import SourceMeta, Unit


def entry(name: str = "a.txt") -> tuple[list[Unit], SourceMeta]:
    return [Unit(source=name, kind="text", index=1, text="t", method="m")], SourceMeta(source=name, kind="text", units=1)


def test_a_hit_is_addressed_to_the_name_asked_for():
    cache = UnitCache()
    cache.put(cache_key(".txt", b"same"), *entry("a.txt"))
    units, meta = cache.get(cache_key(".txt", b"same"), "b.txt")
    assert [u.source for u in units] == ["b.txt"]
    assert meta.source == "b.txt"


def test_same_bytes_read_another_way_is_a_miss():
    cache = UnitCache()
    cache.put(cache_key(".txt", b"same"), *entry())
    assert cache.get(cache_key(".md", b"same"), "a.md") is None


def test_changing_a_hit_does_not_change_the_cache():
    cache = UnitCache()
    key = cache_key(".txt", b"x")
    cache.put(key, *entry())
    cache.get(key, "a.txt")[0][0].text = "changed"
    assert cache.get(key, "a.txt")[0][0].text == "t"


def test_least_recently_used_entry_is_dropped_past_capacity():
    cache = UnitCache(capacity=2)
    first, second, third = (cache_key(".txt", data) for data in (b"1", b"2", b"3"))
    cache.put(first, *entry())
    cache.put(second, *entry())
    cache.get(first, "a.txt")
    cache.put(third, *entry())
    assert cache.get(second, "a.txt") is None
    assert cache.get(first, "a.txt") is not None
