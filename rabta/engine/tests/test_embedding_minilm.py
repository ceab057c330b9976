"""The real model: slower (about a second to load), so one file and few texts."""

import numpy as np
import pytest

from rabta.engine.embedding import MiniLMEncoder, _openblas, blas_threads, model_id


@pytest.fixture(scope="module")
def encoder():
    return MiniLMEncoder()


def test_paraphrases_are_closer_than_an_unrelated_sentence(encoder):
    drafting, paraphrase, unrelated = encoder.encode(
        [
            "Prepare AutoCAD drawings for a residential building",
            "Draft floor plans of a house in CAD software",
            "Bake bread and pastries for a hotel kitchen",
        ]
    )

    assert drafting @ paraphrase > drafting @ unrelated + 0.2


def test_rows_are_unit_length_float32_in_input_order_whatever_the_batching(encoder):
    texts = ["short", "a much longer sentence about structural steel design " * 20, ""]

    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([text])[0] for text in texts])

    assert together.dtype == np.float32
    assert together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)


def test_model_id_names_the_weights_without_loading_them(encoder):
    assert model_id() == encoder.model_id


def test_blas_threads_limits_the_block_and_restores_the_count_after_it(encoder):
    calls = _openblas()
    assert calls is not None, "NumPy's Linux wheels bundle OpenBLAS: it must be found"
    get, _set = calls
    before = get()

    with blas_threads(1):
        inside = get()
        vectors = encoder.encode(["Prepare AutoCAD drawings for a residential building"])

    assert inside == 1
    assert get() == before
    assert np.allclose(
        vectors, encoder.encode(["Prepare AutoCAD drawings for a residential building"]), atol=1e-6
    )
