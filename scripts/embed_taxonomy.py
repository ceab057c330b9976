"""Precompute the sentence vectors of every ESCO skill and occupation (all-MiniLM-L6-v2).

    python scripts/embed_taxonomy.py        (or: make vectors)

Writes ``rabta/engine/data/esco_skill_vectors.npz`` and ``esco_occupation_vectors.npz``: one
int8 vector per row with a float32 scale, and the fingerprints of the texts encoded and of the
model weights, so the platform refuses vectors that no longer match its taxonomy or model
instead of silently linking against the wrong rows.  Run it again after ``make taxonomy`` or a
model upgrade; it takes a few minutes on two cores, which is why the platform never does this
at run time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rabta.engine.embedding import (  # noqa: E402
    MiniLMEncoder,
    build_index,
    save_index,
    texts_fingerprint,
)
from rabta.engine.linking import SKILL_VECTORS, skill_texts  # noqa: E402
from rabta.engine.postings import OCCUPATION_VECTORS, occupation_texts  # noqa: E402
from rabta.engine.taxonomy import taxonomy  # noqa: E402


def main() -> None:
    t = taxonomy()
    encoder = MiniLMEncoder()
    rows = {
        SKILL_VECTORS: [(s.id, skill_texts(s)) for s in t.skills],
        OCCUPATION_VECTORS: [(o.id, occupation_texts(o)) for o in t.occupations],
    }
    for path, pairs in rows.items():
        started = time.perf_counter()
        ids = [row_id for row_id, _ in pairs]
        texts = [row_texts for _, row_texts in pairs]
        index = build_index(encoder, ids, texts)
        save_index(path, index, source=texts_fingerprint(ids, texts), model=encoder.model_id)
        elapsed = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {len(ids)} rows, {size:.1f} MB, {elapsed:.0f} s")  # noqa: T201


if __name__ == "__main__":
    main()
