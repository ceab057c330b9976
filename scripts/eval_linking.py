"""Score skill linking on the development splits, Rabta's linkers against two baselines.

    python scripts/eval_linking.py [../shared/data/skill-linking-dev]

Prints R-Precision@5, R-Precision@10 and MRR per split (TECH, HOUSE) for: exact label/synonym
matching, BM25 over labels and synonyms, Rabta's lexical linker alone, and Rabta's hybrid linker
(the one the platform ships: all-MiniLM-L6-v2 vectors fused with lexical evidence), with the
time each took.  Development splits only: the benchmark's test splits are how the project is
judged and are never used here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rabta.engine.embedding import MiniLMEncoder  # noqa: E402
from rabta.engine.evaluation import gold_sentences, score  # noqa: E402
from rabta.engine.linking import (  # noqa: E402
    BM25Linker,
    ExactLinker,
    HybridLinker,
    shipped_skill_vectors,
)
from rabta.engine.taxonomy import taxonomy  # noqa: E402


class Linker(Protocol):
    def link(self, text: str, top: int = 10) -> list[tuple[str, float]]: ...


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/skill-linking-dev"
    t = taxonomy()
    started = time.perf_counter()
    encoder = MiniLMEncoder()
    linkers: dict[str, Linker] = {
        "exact match (baseline)": ExactLinker(t),
        "BM25 labels+synonyms (baseline)": BM25Linker(t),
        "Rabta lexical only": HybridLinker(t),
        "Rabta hybrid (shipped)": HybridLinker(
            t, encoder=encoder, vectors=shipped_skill_vectors(t, model=encoder.model_id)
        ),
    }
    print(f"indexes and model loaded in {time.perf_counter() - started:.1f} s")  # noqa: T201
    for split in ("tech", "house"):
        gold = gold_sentences(data / f"{split}_validation_annotations.csv")
        for name, linker in linkers.items():
            started = time.perf_counter()
            ranked = {
                sentence: [t.skill(i).label for i, _ in linker.link(sentence, 10)]
                for sentence in gold
            }
            elapsed = time.perf_counter() - started
            result = score(ranked.__getitem__, gold)
            line = (
                f"{split.upper():5} {name:33} RP@5 {result.rp5:.3f}  "
                f"RP@10 {result.rp10:.3f}  MRR {result.mrr:.3f}  "
                f"({result.sentences} sentences, {elapsed:.2f} s)"
            )
            print(line)  # noqa: T201


if __name__ == "__main__":
    main()
