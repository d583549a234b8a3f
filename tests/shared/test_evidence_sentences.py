from shared import embeddings
from shared.evidence import EvidenceLoader
from shared.evidence_sentences import LONGEST, evidence_sentences, with_vectors
from shared.storage import MemoryObjectStore
from shared.units import EvidencePack, Unit


def unit(text: str, index: int = 1) -> Unit:
    return Unit(source="paper.pdf", kind="page", index=index, text=text, method="test")


def test_line_breaks_and_end_of_line_hyphens_are_joined():
    assert evidence_sentences(["We used gpt-3.5-\nturbo for\nevery run. It worked."]) == [
        "We used gpt-3.5-turbo for every run.",
        "It worked.",
    ]


def test_a_sentence_longer_than_the_limit_is_cut_into_pieces():
    pieces = evidence_sentences(["x" * (LONGEST * 2 + 5)])
    assert [len(p) for p in pieces] == [LONGEST, LONGEST, 5]


def test_a_pack_carries_a_row_for_every_distinct_sentence_of_its_units():
    pack = with_vectors(EvidencePack(task_id="t", units=[unit("First claim. Second claim."), unit("First claim.", 2)]))
    assert pack.vectors.keys == [embeddings.key("First claim."), embeddings.key("Second claim.")]
    assert pack.vectors.encoder == embeddings.ENCODER


def test_a_pack_saved_before_vectors_existed_is_read_without_them():
    old = '{"task_id": "t", "units": [{"source": "a.md", "kind": "text", "index": 1, "text": "Hi.", "method": "m"}]}'
    assert EvidencePack.model_validate_json(old).vectors is None


async def test_a_loaded_packs_embeddings_join_the_process_cache():
    store = MemoryObjectStore()
    ref = await store.put("t/evidence.json", with_vectors(EvidencePack(task_id="t", units=[unit("A stored claim.")])).model_dump_json().encode())
    embeddings._cache.clear()

    await EvidenceLoader(store).load(ref)

    assert embeddings.key("A stored claim.") in embeddings._cache
