"""The object store on a real nats-server."""

import pytest

from shared.bus import Bus
from shared.errors import PoisonError

pytestmark = pytest.mark.nats


async def test_put_then_get_returns_the_bytes_and_their_digest(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    ref = await bus.store.put("t/sources/a.txt", b"hello")
    data = await bus.store.get("t/sources/a.txt")
    await bus.close()

    assert data == b"hello" and ref.size == 5 and ref.digest.startswith("SHA-256=")


async def test_same_bytes_are_not_written_again(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/a", b"same")
    before = (await bus.js.stream_info("OBJ_redline-objects")).state.messages
    await bus.store.put("t/a", b"same")
    after = (await bus.js.stream_info("OBJ_redline-objects")).state.messages
    await bus.close()

    assert after == before


async def test_missing_object_is_a_poison_error(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    with pytest.raises(PoisonError, match="not in the store"):
        await bus.store.get("nope")
    await bus.close()


async def test_keys_lists_by_prefix(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t1/out/a.md", b"a")
    await bus.store.put("t1/out/b.md", b"b")
    await bus.store.put("t2/out/c.md", b"c")
    keys = await bus.store.keys("t1/out/")
    await bus.close()

    assert keys == ["t1/out/a.md", "t1/out/b.md"]
