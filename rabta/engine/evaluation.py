"""Scoring skill linkers on sentence-level gold annotations (ESCO preferred labels):
R-Precision@K and mean reciprocal rank, as in Decorte et al. (2022)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NOT_LINKABLE = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


@dataclass(frozen=True)
class Scores:
    rp5: float
    rp10: float
    mrr: float
    sentences: int


def gold_sentences(path: Path) -> dict[str, set[str]]:
    """Sentence → the ESCO preferred labels annotated in it (sentences with none are dropped)."""
    gold: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] not in NOT_LINKABLE:
                gold.setdefault(row["sentence"], set()).add(row["label"])
    return gold


def score(ranked_labels: Callable[[str], list[str]], gold: dict[str, set[str]]) -> Scores:
    rp5 = rp10 = mrr = 0.0
    for sentence, labels in gold.items():
        ranked = ranked_labels(sentence)
        for k, total in ((5, "rp5"), (10, "rp10")):
            hits = len(set(ranked[:k]) & labels) / min(k, len(labels))
            if total == "rp5":
                rp5 += hits
            else:
                rp10 += hits
        mrr += next((1 / rank for rank, label in enumerate(ranked, 1) if label in labels), 0.0)
    n = max(1, len(gold))
    return Scores(rp5 / n, rp10 / n, mrr / n, len(gold))
