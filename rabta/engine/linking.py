"""Skill linking: from free text (a CV line, a job posting sentence) to ranked ESCO skills.

Pure Python and deterministic.  Three linkers share one interface, ``link(text, top)`` returning
``[(skill_id, score), ...]`` best first:

* ``ExactLinker`` — skills whose preferred or alternative label appears in the text as a whole
  phrase (the exact-match baseline);
* ``BM25Linker`` — Okapi BM25 over each skill's labels and synonyms (the BM25 baseline), or, with
  ``with_descriptions=True``, over labels, synonyms and description;
* ``HybridLinker`` — Rabta's lexical linker: BM25 over labels, synonyms and descriptions, plus a
  boost for whole-label matches.  The embedding half of the hybrid (a local sentence model) is not
  wired in yet.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from rabta.engine.taxonomy import Skill, Taxonomy

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "this",
        "to",
        "we",
        "with",
        "you",
        "your",
        "will",
        "who",
        "what",
        "which",
        "can",
        "must",
        "should",
        "experience",
        "knowledge",
        "skills",
        "ability",
        "able",
        "using",
        "use",
        "work",
        "working",
    ]  # noqa: SIM905
)
_TOKEN = re.compile(r"[a-z0-9+#]+(?:\.[a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.casefold()) if t not in STOPWORDS]


class ExactLinker:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.by_phrase: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for skill in taxonomy.skills:
            for label in (skill.label, *skill.alt_labels):
                phrase = tuple(_TOKEN.findall(label.casefold()))
                if phrase:
                    self.by_phrase[phrase].add(skill.id)
        self.longest = max(len(p) for p in self.by_phrase)

    def link(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        words = _TOKEN.findall(text.casefold())
        scores: dict[str, float] = {}
        for start in range(len(words)):
            for size in range(1, min(self.longest, len(words) - start) + 1):
                for skill_id in self.by_phrase.get(tuple(words[start : start + size]), ()):
                    scores[skill_id] = max(scores.get(skill_id, 0.0), float(size))
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


class BM25Linker:
    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        with_descriptions: bool = False,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.lengths: list[int] = []
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, skill in enumerate(taxonomy.skills):
            counts = Counter(self._document(skill, with_descriptions))
            self.ids.append(skill.id)
            self.lengths.append(sum(counts.values()))
            for term, count in counts.items():
                self.postings[term].append((index, count))
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        n = len(self.ids)
        self.idf = {
            term: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in self.postings.items()
        }

    @staticmethod
    def _document(skill: Skill, with_descriptions: bool) -> Iterable[str]:
        yield from tokens(skill.label)
        for label in skill.alt_labels:
            yield from tokens(label)
        if with_descriptions:
            yield from tokens(skill.description)

    def scores(self, text: str) -> dict[int, float]:
        result: dict[int, float] = defaultdict(float)
        for term in set(tokens(text)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for index, count in self.postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
                result[index] += idf * count * (self.k1 + 1) / (count + norm)
        return result

    def link(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        ranked = sorted(self.scores(text).items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [(self.ids[index], round(score, 4)) for index, score in ranked]


class HybridLinker:
    """BM25 over labels, synonyms and descriptions, boosted where a whole label is present."""

    def __init__(self, taxonomy: Taxonomy, *, exact_boost: float = 4.0) -> None:
        self.bm25 = BM25Linker(taxonomy, with_descriptions=True)
        self.labels_only = BM25Linker(taxonomy)
        self.exact = ExactLinker(taxonomy)
        self.exact_boost = exact_boost

    def link(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        combined: dict[str, float] = defaultdict(float)
        for source, weight in ((self.bm25, 0.5), (self.labels_only, 1.0)):
            for index, score in source.scores(text).items():
                combined[source.ids[index]] += weight * score
        for skill_id, size in self.exact.link(text, top=50):
            combined[skill_id] += self.exact_boost * size
        ranked = sorted(combined.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [(skill_id, round(score, 4)) for skill_id, score in ranked]
