"""Skill linking: from free text (a CV line, a job posting sentence) to ranked ESCO skills.

Deterministic.  Three linkers share one interface, ``link(text, top)`` returning
``[(skill_id, score), ...]`` best first:

* ``ExactLinker`` — skills whose preferred or alternative label appears in the text as a whole
  phrase (the exact-match baseline);
* ``BM25Linker`` — Okapi BM25 over each skill's labels and synonyms (the BM25 baseline), or, with
  ``with_descriptions=True``, over labels, synonyms and description;
* ``HybridLinker`` — Rabta's linker.  Given a sentence encoder and the shipped skill vectors it
  fuses the cosine similarity of the text to each skill with a lexical score (BM25 over labels
  and synonyms plus a boost for whole-label matches); without them it is the lexical linker
  alone (BM25 over labels, synonyms and descriptions, plus the whole-label boost).

The fusion weights were chosen on the development splits of the skill-linking benchmark only
(``make eval``); see ``HybridLinker``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from rabta.engine.embedding import Encoder, VectorIndex, load_index, texts_fingerprint
from rabta.engine.taxonomy import DATA, Skill, Taxonomy

SKILL_VECTORS = DATA / "esco_skill_vectors.npz"

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


def phrase_words(text: str) -> list[str]:
    """Every word, stopwords included, as whole-label matching compares them."""
    return _TOKEN.findall(text.casefold())


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


def skill_texts(skill: Skill) -> tuple[str, ...]:
    """What a skill's vector is the mean of: its preferred label, and the label with its
    description.  On the development splits this beat the label alone, the description alone and
    max- or mean-pooling over all synonyms (synonyms are already matched lexically)."""
    return (skill.label, f"{skill.label}: {skill.description}")


def shipped_skill_vectors(taxonomy: Taxonomy, *, model: str) -> VectorIndex:
    """The precomputed skill vectors (``make vectors``), checked against this taxonomy and
    model: computing 13,896 of them at run time would take minutes."""
    ids = [skill.id for skill in taxonomy.skills]
    source = texts_fingerprint(ids, [skill_texts(skill) for skill in taxonomy.skills])
    return load_index(SKILL_VECTORS, ids=ids, source=source, model=model)


def top_ranked(ids: Sequence[str], scores: np.ndarray, top: int) -> list[tuple[str, float]]:
    """The ``top`` best rows, scores rounded to 4 places, equal rounded scores ordered by id so
    the answer does not depend on floating-point noise or the order rows were stored in."""
    if top <= 0 or len(scores) == 0:
        return []
    rounded = np.round(scores.astype(np.float64), 4)
    kth = np.partition(rounded, -min(top, len(rounded)))[-min(top, len(rounded))]
    candidates = np.flatnonzero(rounded >= kth)
    ranked = sorted(candidates.tolist(), key=lambda i: (-rounded[i], ids[i]))[:top]
    return [(ids[i], float(rounded[i])) for i in ranked]


class HybridLinker:
    """Rabta's linker: sentence-vector similarity fused with lexical evidence.

    ``score = semantic_weight · cos(text, skill) + (1 − semantic_weight) · lexical / max(best
    lexical score for this text, lexical_floor)``, with the lexical score BM25 over labels and
    synonyms plus ``exact_boost`` per word of a whole label present in the text.  The floor stops
    a single weak word match from counting as full lexical evidence.  Tuned on the development
    splits only (semantic_weight 0.75, lexical_floor 20): the embedding carries paraphrases
    ("team player" → work in teams), the lexical half exact tool and language names, which a
    small sentence model knows less well than everyday words.

    Without an encoder and vectors it is the lexical linker alone, as before the embedding half
    existed: BM25 over labels, synonyms and descriptions, plus the whole-label boost."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        exact_boost: float = 4.0,
        encoder: Encoder | None = None,
        vectors: VectorIndex | None = None,
        semantic_weight: float = 0.75,
        lexical_floor: float = 20.0,
    ) -> None:
        if (encoder is None) != (vectors is None):
            raise ValueError("an encoder and skill vectors go together")
        self.ids = [skill.id for skill in taxonomy.skills]
        if vectors is not None and list(vectors.ids) != self.ids:
            raise ValueError("skill vectors are not in this taxonomy's skill order")
        self.encoder, self.vectors = encoder, vectors
        self.semantic_weight, self.lexical_floor = semantic_weight, lexical_floor
        self.labels_only = BM25Linker(taxonomy)
        self.exact = ExactLinker(taxonomy)
        self.exact_boost = exact_boost
        self._position = {skill_id: index for index, skill_id in enumerate(self.ids)}
        if vectors is None:
            self.bm25 = BM25Linker(taxonomy, with_descriptions=True)
        else:
            self._label_terms = _term_arrays(self.labels_only)

    @property
    def semantic(self) -> bool:
        return self.vectors is not None

    def link(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        if not self.semantic:
            return self._link_lexical(text, top)
        return self.link_many([text], top)[0]

    def link_many(self, texts: Sequence[str], top: int = 10) -> list[list[tuple[str, float]]]:
        """Link many texts; the sentence encoder sees them in one call, batched by length."""
        if self.encoder is None:
            return [self._link_lexical(text, top) for text in texts]
        queries = self.encoder.encode(list(texts))
        result: list[list[tuple[str, float]]] = []
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            scores = self.scores(chunk, queries[start : start + _CHUNK])
            result.extend(
                top_ranked(self.ids, row, top) if text.strip() else []
                for text, row in zip(chunk, scores, strict=True)
            )
        return result

    def scores(self, texts: Sequence[str], queries: np.ndarray | None = None) -> np.ndarray:
        """Fused scores of every skill for each text, (texts, skills), in taxonomy order.

        ``queries`` are the texts' vectors when the caller already has them (a posting's vector
        serves both skill linking and classification).  Lexical-only linkers give the lexical
        score scaled to 0..1."""
        lexical = np.stack([self.lexical_scores(text) for text in texts])
        if self.encoder is None or self.vectors is None:
            return lexical
        if queries is None:
            queries = self.encoder.encode(list(texts))
        semantic = self.vectors.similarities(queries)
        return self.semantic_weight * semantic + (1 - self.semantic_weight) * lexical

    def lexical_scores(self, text: str) -> np.ndarray:
        """Label BM25 plus the whole-label boost for every skill, scaled by the best score for
        this text (or the floor, if higher) into 0..1."""
        combined = np.zeros(len(self.ids), dtype=np.float32)
        if self.semantic:
            for term in set(tokens(text)):
                found = self._label_terms.get(term)
                if found is not None:
                    combined[found[0]] += found[1]
            for skill_id, size in self.exact.link(text, top=len(self.ids)):
                combined[self._position[skill_id]] += self.exact_boost * size
        else:
            for skill_id, score in self._link_lexical(text, top=len(self.ids)):
                combined[self._position[skill_id]] = score
        floor = self.lexical_floor if self.semantic else 0.0
        return combined / max(float(combined.max(initial=0.0)), floor, 1e-9)

    def _link_lexical(self, text: str, top: int) -> list[tuple[str, float]]:
        combined: dict[str, float] = defaultdict(float)
        for source, weight in ((self.bm25, 0.5), (self.labels_only, 1.0)):
            for index, score in source.scores(text).items():
                combined[source.ids[index]] += weight * score
        for skill_id, size in self.exact.link(text, top=50):
            combined[skill_id] += self.exact_boost * size
        ranked = sorted(combined.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [(skill_id, round(score, 4)) for skill_id, score in ranked]


# Texts scored against all 13,896 skills at once: 64 rows of float32 scores is 3.5 MB.
_CHUNK = 64


def _term_arrays(bm25: BM25Linker) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each term's BM25 contribution to each skill, precomputed: a text's terms are counted once
    (``set(tokens)``), so a contribution never depends on the text, and scoring a long posting
    becomes a few array additions instead of a Python loop over thousands of postings."""
    arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for term, postings in bm25.postings.items():
        index = np.fromiter((i for i, _ in postings), dtype=np.int64, count=len(postings))
        count = np.fromiter((c for _, c in postings), dtype=np.float64, count=len(postings))
        lengths = np.asarray([bm25.lengths[i] for i in index], dtype=np.float64)
        norm = bm25.k1 * (1 - bm25.b + bm25.b * lengths / bm25.average)
        weight = bm25.idf[term] * count * (bm25.k1 + 1) / (count + norm)
        arrays[term] = (index, weight.astype(np.float32))
    return arrays
