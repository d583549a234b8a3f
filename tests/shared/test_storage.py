"""The object store on a real nats-server."""

import asyncio

import pytest

from shared import storage
from shared.bus import Bus
from shared.errors import PoisonError, TransientError
from shared.storage import IncompleteObjectError

pytestmark = pytest.mark.nats


async def test_put_then_get_returns_the_bytes_and_their_digest(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    ref = await bus.store.put("t/sources/a.txt", b"hello")
    data = await bus.store.get("t/sources/a.txt")
    await bus.close()

    assert data == b"hello"
    assert ref.size == 5
    assert ref.digest.startswith("SHA-256=")


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


async def test_an_object_of_many_chunks_reads_back_whole(nats_settings):
    data = bytes(range(256)) * 4000  # 1 MB: eight chunks
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/big.pdf", data)
    read = await bus.store.get("t/big.pdf")
    await bus.close()

    assert read == data


async def test_an_object_of_more_chunks_than_the_window_reads_back_through_the_client_library(nats_settings):
    data = bytes(range(256)) * 40_000  # 10 MB: 79 chunks, more than are published ahead of their acks
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/talk.mp4", data)
    result = await (await bus.js.object_store("redline-objects")).get("t/talk.mp4")
    await bus.close()

    assert result.data == data
    assert result.info.chunks == 79


async def test_replacing_an_object_purges_its_old_chunks(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/report.md", bytes(300_000))
    first = (await bus.js.stream_info("OBJ_redline-objects")).state.messages
    await bus.store.put("t/report.md", bytes(300_001))
    second = (await bus.js.stream_info("OBJ_redline-objects")).state.messages
    await bus.close()

    assert first == second == 4  # three chunks and the metadata message, each time


async def test_a_replaced_object_reads_as_its_new_bytes(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/report.md", b"first draft")
    await bus.store.put("t/report.md", b"final")
    read = await bus.store.get("t/report.md")
    await bus.close()

    assert read == b"final"


async def test_an_empty_object_reads_as_empty_bytes(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/empty.txt", b"")
    read = await bus.store.get("t/empty.txt")
    await bus.close()

    assert read == b""


async def test_an_object_missing_a_chunk_is_an_incomplete_object_error(nats_settings):
    bus = await Bus.connect(nats_settings, source="/test")
    await bus.store.put("t/torn.bin", bytes(300_000))
    stream = "OBJ_redline-objects"
    info = await (await bus.js.object_store("redline-objects")).get_info("t/torn.bin")
    chunk = await bus.js.get_msg(stream, seq=1, subject=f"$O.redline-objects.C.{info.nuid}", next=True)
    await bus.js.delete_msg(stream, chunk.seq)
    with pytest.raises(IncompleteObjectError, match=r"t/torn.bin"):
        await bus.store.get("t/torn.bin")
    await bus.close()


async def test_a_chunk_never_acknowledged_is_a_transient_error(monkeypatch):
    monkeypatch.setattr(storage, "ACK_TIMEOUT", 0.05)

    with pytest.raises(TransientError, match=r"not acknowledged within 0.05 s"):
        await storage.NatsObjectStore._acknowledged(asyncio.get_running_loop().create_future())
