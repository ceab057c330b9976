import math

import numpy as np
import pytest

from rabta.engine.embedding import (
    HashingEncoder,
    StaleVectors,
    VectorIndex,
    build_index,
    erf,
    gelu,
    load_index,
    save_index,
    texts_fingerprint,
)


def test_erf_matches_the_standard_library_to_float32_precision():
    x = np.linspace(-6, 6, 2001, dtype=np.float32)

    approximated = erf(x)

    exact = np.array([math.erf(float(v)) for v in x])
    assert np.abs(approximated - exact).max() < 5e-7


def test_gelu_is_x_times_the_normal_cdf():
    x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0], dtype=np.float32)

    expected = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.tolist()]

    assert np.allclose(gelu(x), expected, atol=1e-6)


def test_hashing_encoder_rows_are_unit_length_and_reproducible():
    encoder = HashingEncoder()

    vectors = encoder.encode(["AutoCAD drafting", "PCB layout", ""])

    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0)
    assert not vectors[2].any()
    assert np.array_equal(vectors, HashingEncoder().encode(["AutoCAD drafting", "PCB layout", ""]))


def test_hashing_encoder_is_stable_across_processes():
    # A fixed value: Python's salted hash() would change it from one run to the next.
    vector = HashingEncoder(dim=16).encode(["cad"])[0]

    assert np.flatnonzero(vector).tolist() == [0, 1, 11, 15]


def test_hashing_encoder_puts_shared_words_closer_than_unrelated_ones():
    a, b, c = HashingEncoder().encode(
        ["AutoCAD drafting of floor plans", "floor plans drafted in AutoCAD", "PCB layout"]
    )

    assert a @ b > a @ c


def test_build_index_averages_each_rows_vectors():
    encoder = HashingEncoder()

    index = build_index(encoder, ["x", "y"], [("alpha", "beta"), ("gamma",)])

    alpha, beta, gamma = encoder.encode(["alpha", "beta", "gamma"])
    assert index.ids == ("x", "y")
    assert np.allclose(index.matrix[0], (alpha + beta) / 2)
    assert np.allclose(index.matrix[1], gamma)


def test_saved_vectors_load_back_within_quantisation_error(tmp_path):
    index = build_index(HashingEncoder(), ["x", "y"], [("alpha",), ("beta gamma",)])
    path = tmp_path / "vectors.npz"

    save_index(path, index, source="texts-1", model="model-1")
    loaded = load_index(path, ids=["x", "y"], source="texts-1", model="model-1")

    assert loaded.ids == ("x", "y")
    assert np.abs(loaded.matrix - index.matrix).max() < np.abs(index.matrix).max() / 200


@pytest.mark.parametrize(
    ("ids", "source", "model"),
    [
        (["x", "y"], "texts-2", "model-1"),
        (["x", "y"], "texts-1", "model-2"),
        (["x"], "texts-1", "model-1"),
    ],
)
def test_stale_vectors_are_refused(tmp_path, ids, source, model):
    path = tmp_path / "vectors.npz"
    save_index(
        path,
        VectorIndex(("x", "y"), np.eye(2, 4, dtype=np.float32)),
        source="texts-1",
        model="model-1",
    )

    with pytest.raises(StaleVectors):
        load_index(path, ids=ids, source=source, model=model)


def test_texts_fingerprint_changes_with_any_text_or_id():
    base = texts_fingerprint(["a", "b"], [("x",), ("y", "z")])

    assert base == texts_fingerprint(["a", "b"], [("x",), ("y", "z")])
    assert base != texts_fingerprint(["a", "b"], [("x",), ("y", "z!")])
    assert base != texts_fingerprint(["a", "c"], [("x",), ("y", "z")])
    assert base != texts_fingerprint(["a", "b"], [("x", "y"), ("z",)])
