"""Score skill linking on the development splits, Rabta's linker against two baselines.

    python scripts/eval_linking.py [../shared/data/skill-linking-dev]

Prints R-Precision@5, R-Precision@10 and MRR per split (TECH, HOUSE) for: exact label/synonym
matching, BM25 over labels and synonyms, and Rabta's linker.  Development splits only: the
benchmark's test splits are how the project is judged and are never used here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rabta.engine.evaluation import gold_sentences, score  # noqa: E402
from rabta.engine.linking import BM25Linker, ExactLinker, HybridLinker  # noqa: E402
from rabta.engine.taxonomy import taxonomy  # noqa: E402


def main() -> None:
    data = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else ROOT.parent / "shared" / "data" / ("skill-linking-dev")
    )
    t = taxonomy()
    started = time.perf_counter()
    linkers = {
        "exact match (baseline)": ExactLinker(t),
        "BM25 labels+synonyms (baseline)": BM25Linker(t),
        "Rabta linker": HybridLinker(t),
    }
    print(f"indexes built in {time.perf_counter() - started:.1f} s")  # noqa: T201
    for split in ("tech", "house"):
        gold = gold_sentences(data / f"{split}_validation_annotations.csv")
        for name, linker in linkers.items():
            result = score(
                lambda text, ln=linker: [t.skill(i).label for i, _ in ln.link(text, 10)], gold
            )
            line = (
                f"{split.upper():5} {name:33} RP@5 {result.rp5:.3f}  "
                f"RP@10 {result.rp10:.3f}  MRR {result.mrr:.3f}  "
                f"({result.sentences} sentences)"
            )
            print(line)  # noqa: T201


if __name__ == "__main__":
    main()
