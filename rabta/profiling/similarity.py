"""How close two ESCO skills are, for the partial credit pathway scoring gives to related
skills: the cosine of their shipped sentence vectors (``rabta.engine.linking``) when the platform
runs the sentence model; otherwise a skill is close only to itself.  Only the vectors are read:
results are computed in the web process, which never loads the model itself."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from rabta.engine.scoring import Similarity, exact_similarity
from rabta.profiling.linker import skill_vectors


@cache
def skill_similarity() -> Similarity:
    index = skill_vectors()
    if index is None:
        return exact_similarity
    norms = np.linalg.norm(index.matrix, axis=1)
    unit = index.matrix / np.maximum(norms, 1e-12)[:, None]
    position = {skill_id: row for row, skill_id in enumerate(index.ids)}
    blank = np.zeros(unit.shape[1], dtype=np.float32)

    def rows(ids: Sequence[str]) -> np.ndarray:
        return np.stack([unit[position[i]] if i in position else blank for i in ids])

    def similarity(left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        if not left or not right:
            return [[] for _ in left]
        matrix = np.clip(rows(left) @ rows(right).T, 0.0, 1.0).astype(np.float64)
        return np.round(matrix, 4).tolist()  # type: ignore[no-any-return]

    return similarity
