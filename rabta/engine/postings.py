"""Classifying job and freelance postings: which Rabta pathways and which ESCO occupations a
posting is about, each with a score in 0..1, best first.

A posting is read three ways, because each catches what the others miss:

* its **skills** — the hybrid linker's score for every ESCO skill, compared with each pathway's
  essential and optional skills and each occupation's essential and optional skills;
* its **tools** — a pathway's O*NET tool names mentioned as whole words (``AutoCAD`` for
  "Autodesk AutoCAD"), the strongest single signal that a civil drafting job is CAD work and
  not PCB layout, even though both "draw" and "design";
* its **meaning** — the sentence vector of the title and the start of the description against
  a vector of each pathway's title, summary and deliverables and of each occupation's labels;
* its **job title** — an occupation's label or alternative label of two words or more written
  out in the posting ("civil engineer", "web developer"), which a small sentence model can miss
  when the rest of the posting is about tools it does not know (ETABS, SAFE).

Pure Python and NumPy, deterministic: equal rounded scores are ordered by slug or occupation id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from rabta.engine.embedding import Encoder, VectorIndex, load_index, texts_fingerprint
from rabta.engine.linking import HybridLinker, phrase_words, top_ranked
from rabta.engine.pathways import Pathway
from rabta.engine.taxonomy import DATA, Occupation, Taxonomy

OCCUPATION_VECTORS = DATA / "esco_occupation_vectors.npz"

# The sentence model reads at most this many characters of "title. description": the title and
# opening lines say what a posting is, and encoding whole descriptions would cost 3-5 times more
# time for little gain (the lexical half of skill linking still reads the whole text).
BODY_CHARS = 200
# Linked skills compared with an occupation's skills.
OCCUPATION_SKILLS = 20
# Pathway skills whose scores make up a pathway's skill match.
PATHWAY_SKILLS = 3

# Vendor names that postings leave out: "Autodesk AutoCAD" is written "AutoCAD".
_VENDORS = (
    "Autodesk",
    "Bentley",
    "Bentley Systems",
    "Dassault Systemes",
    "Trimble",
    "CSI",
    "Microsoft",
    "The MathWorks",
    "The Mathworks",
    "MathWorks",
    "Cadence",
    "Mentor Graphics",
    "Siemens",
    "Siemens SIMATIC",
    "Rockwell",
    "ESRI",
    "Oracle",
    "Oracle Primavera",
    "Google",
    "Apple",
    "Adobe",
    "Elite Software",
    "Carrier",
    "Leica Geosystems",
    "Xilinx",
    "Altera",
    "AMD",
    "Texas Instruments",
    "Microchip",
    "ABB",
    "PTC",
    "MSC Software",
    "Altair",
    "AspenTech",
    "Chemstations",
    "COADE",
    "Portswigger",
    "Tenable",
    "Keysight Technologies",
    "Forsk",
    "Linear Technology",
    "Wolfram Research",
    "DHI",
    "Pix4D",
    "Agisoft",
    "TechSmith",
    "MadCap Software",
    "Atlassian",
    "Trane",
    "Wrightsoft",
    "Aurora",
    "On Center",
    "DesignBuilder Software",
    "Global Mapper Software",
    "Simcenter",
    "CD-adapco",
    "Cisco",
    "GE Intelligent Platforms",
    "AVEVA",
    "Splunk",
)
# What is left after dropping a vendor must not be an everyday word ("Microsoft Project").
_TOO_COMMON = frozenset({"project", "word", "access", "teams", "software", "design", "ios"})


def occupation_texts(occupation: Occupation) -> tuple[str, ...]:
    """What an occupation's vector is the mean of: its label, and the label with up to six
    alternative labels (job titles vary more than skill names)."""
    alternatives = [label for label in occupation.alt_labels if label != occupation.label][:6]
    return (occupation.label, "; ".join([occupation.label, *alternatives]))


def shipped_occupation_vectors(taxonomy: Taxonomy, *, model: str) -> VectorIndex:
    """The precomputed occupation vectors (``make vectors``), checked against this taxonomy and
    model."""
    ids = [occupation.id for occupation in taxonomy.occupations]
    source = texts_fingerprint(ids, [occupation_texts(o) for o in taxonomy.occupations])
    return load_index(OCCUPATION_VECTORS, ids=ids, source=source, model=model)


def tool_aliases(tool: str) -> tuple[str, ...]:
    """A tool's full name and, when it starts with a known vendor, the name without it."""
    aliases = [tool]
    for vendor in sorted(_VENDORS, key=len, reverse=True):
        if tool.startswith(vendor + " "):
            rest = tool[len(vendor) + 1 :]
            if rest.endswith(" software"):
                rest = rest[: -len(" software")]
            if rest.casefold() not in _TOO_COMMON:
                aliases.append(rest)
            break
    if tool.endswith(" software") and len(aliases) == 1:
        aliases.append(tool[: -len(" software")])
    return tuple(dict.fromkeys(aliases))


def tool_pattern(tools: Sequence[str]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive matching of any alias of any of ``tools``."""
    aliases = {alias for tool in tools for alias in tool_aliases(tool)}
    return _whole_words(aliases) if aliases else None


def _whole_words(phrases: Iterable[str]) -> re.Pattern[str]:
    """Word edges also exclude ``+``, ``#`` and ``.`` so that "C" does not match inside "C++" or
    "C#", nor "Node" inside "Node.js"."""
    body = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))
    return re.compile(rf"(?<![\w+#.])(?:{body})(?![\w+#]|\.\w)", re.IGNORECASE)


@dataclass(frozen=True)
class PostingClasses:
    pathways: list[tuple[str, float]]  # (slug, score), best first
    occupations: list[tuple[Occupation, float]]


@dataclass(frozen=True)
class _Tool:
    alias: str  # casefolded, for a quick substring test before the regular expression
    pattern: re.Pattern[str]
    owners: frozenset[tuple[int, int]]  # (pathway, tool) positions that the alias names


class PostingClassifier:
    """Scores a posting against every pathway and occupation.

    pathway = 0.4 · meaning + 0.4 · skills + 0.2 · tools, where meaning is the cosine of the
    posting to the pathway text, skills the weighted mean of the posting's three best skill
    scores among the pathway's skills, and tools ``1 − 0.5ⁿ`` for n of the pathway's tools named.

    occupation = 0.6 · meaning + 0.2 · skills + 0.2 · named, where meaning is the better cosine
    of title or posting to the occupation's labels, skills the share of the posting's 20
    best-linked skills (weighted by their scores) that the occupation lists, essential ones
    counting double, and named 1 if one of its labels of two words or more is in the title, ½ if
    only in the description.  Single-word labels are left to the meaning: ESCO has occupations
    called "model", "agent" and "double".
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        pathways: Sequence[Pathway],
        linker: HybridLinker,
        encoder: Encoder,
        occupation_vectors: VectorIndex,
    ) -> None:
        if list(occupation_vectors.ids) != [o.id for o in taxonomy.occupations]:
            raise ValueError("occupation vectors are not in this taxonomy's occupation order")
        self.taxonomy, self.linker, self.encoder = taxonomy, linker, encoder
        self.occupation_vectors = occupation_vectors
        position = {skill.id: index for index, skill in enumerate(taxonomy.skills)}
        self.slugs = [pathway.slug for pathway in pathways]
        self._pathway_skills, self._pathway_weights = _pathway_skills(pathways, position)
        self._tools = _tools(pathways)
        self.pathway_vectors = encoder.encode([_pathway_text(p) for p in pathways])
        self._occupation_ids = [o.id for o in taxonomy.occupations]
        self._skill_occupations = _skill_occupations(taxonomy, position)
        self._titles = _occupation_phrases(taxonomy)

    def classify(self, title: str, description: str, top: int = 5) -> PostingClasses:
        return self.classify_many([(title, description)], top)[0]

    def classify_many(self, items: Sequence[tuple[str, str]], top: int = 5) -> list[PostingClasses]:
        """Classify many postings; titles and bodies go to the sentence encoder in one call."""
        if not items:
            return []
        bodies = [_body(title, description) for title, description in items]
        titles = [title.strip() or body for (title, _), body in zip(items, bodies, strict=True)]
        vectors = self.encoder.encode([*titles, *bodies])
        title_vectors, body_vectors = vectors[: len(items)], vectors[len(items) :]
        full_texts = [f"{title}\n{description}" for title, description in items]
        results: list[PostingClasses] = []
        for start in range(0, len(items), 64):
            end = start + 64
            skill_scores = self.linker.scores(full_texts[start:end], body_vectors[start:end])
            pathway_meaning = body_vectors[start:end] @ self.pathway_vectors.T
            occupation_meaning = np.maximum(
                self.occupation_vectors.similarities(title_vectors[start:end]),
                self.occupation_vectors.similarities(body_vectors[start:end]),
            )
            for row, (title, description) in enumerate(items[start:end]):
                named = self._named(title, description)
                occupations = self._occupations(
                    skill_scores[row], occupation_meaning[row], named, top
                )
                pathways = self._pathways(
                    full_texts[start + row], skill_scores[row], pathway_meaning[row], top
                )
                results.append(PostingClasses(pathways, occupations))
        return results

    def _pathways(
        self, text: str, skill_scores: np.ndarray, meaning: np.ndarray, top: int
    ) -> list[tuple[str, float]]:
        weighted = np.sort(skill_scores[self._pathway_skills] * self._pathway_weights, axis=1)
        skills = np.clip(weighted[:, -PATHWAY_SKILLS:].mean(axis=1), 0.0, 1.0)
        tools = 1.0 - 0.5 ** self._tools_named(text)
        scores = 0.4 * np.clip(meaning, 0.0, 1.0) + 0.4 * skills + 0.2 * tools
        return top_ranked(self.slugs, scores, top)

    def _tools_named(self, text: str) -> np.ndarray:
        """How many of each pathway's tools the text names, each tool counted once."""
        lowered = text.casefold()
        named: set[tuple[int, int]] = set()
        for tool in self._tools:
            if tool.alias in lowered and tool.pattern.search(text):
                named |= tool.owners
        counts = np.zeros(len(self.slugs))
        for pathway, _ in named:
            counts[pathway] += 1
        return counts

    def _named(self, title: str, description: str) -> np.ndarray:
        """1 for occupations whose multi-word label is in the title, 0.5 in the description."""
        named = np.zeros(len(self._occupation_ids))
        for text, weight in ((description, 0.5), (title, 1.0)):
            words = phrase_words(text)
            for start in range(len(words)):
                for size in range(2, min(self._titles.longest, len(words) - start) + 1):
                    found = self._titles.occupations.get(tuple(words[start : start + size]))
                    if found is not None:
                        named[found] = weight
        return named

    def _occupations(
        self, skill_scores: np.ndarray, meaning: np.ndarray, named: np.ndarray, top: int
    ) -> list[tuple[Occupation, float]]:
        size = min(OCCUPATION_SKILLS, len(skill_scores))
        candidates = np.argpartition(-skill_scores, size - 1)[:size]
        best = candidates[np.lexsort((candidates, -skill_scores[candidates]))]
        weights = np.clip(skill_scores[best], 0.0, None)
        overlap = np.zeros(len(self._occupation_ids))
        for skill, weight in zip(best.tolist(), weights.tolist(), strict=True):
            occupations, relation = self._skill_occupations.get(skill, _NONE)
            np.add.at(overlap, occupations, weight * relation)
        overlap /= max(float(weights.sum()), 1e-9)
        scores = 0.6 * np.clip(meaning, 0, 1) + 0.2 * np.clip(overlap, 0, 1) + 0.2 * named
        return [
            (self.taxonomy.occupation(occupation_id), score)
            for occupation_id, score in top_ranked(self._occupation_ids, scores, top)
        ]


_NONE = (np.zeros(0, dtype=np.int64), np.zeros(0))


def _body(title: str, description: str) -> str:
    """Title and the opening of the description, cut at a word boundary."""
    text = f"{title.strip()}. {description.strip()}".strip(" .")
    if len(text) <= BODY_CHARS:
        return text
    cut = text[:BODY_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _pathway_text(pathway: Pathway) -> str:
    return f"{pathway.title}. {pathway.summary} {'; '.join(pathway.deliverables)}"


def _pathway_skills(
    pathways: Sequence[Pathway], position: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each pathway's skill positions and weights (1.0 essential, 0.7 optional) as one padded
    matrix, so a posting is scored against all pathways in a few array operations.  Padding
    repeats a pathway's first skill at weight 0, which can only lose to its real skills."""
    rows = [_skill_row(pathway, position) for pathway in pathways]
    width = max(PATHWAY_SKILLS, *(len(row) for row in rows))
    padded = [row + [(row[0][0], 0.0)] * (width - len(row)) for row in rows]
    skills = np.array([[index for index, _ in row] for row in padded], dtype=np.int64)
    weights = np.array([[weight for _, weight in row] for row in padded], dtype=np.float64)
    return skills, weights


def _skill_row(pathway: Pathway, position: dict[str, int]) -> list[tuple[int, float]]:
    """One pathway's (skill position, weight) pairs, essential skills first; skills with no
    position are dropped, and a pathway left with none gets one weightless entry."""
    refs = [(s.id, 1.0) for s in pathway.essential_skills]
    refs += [(s.id, 0.7) for s in pathway.optional_skills]
    return [(position[i], weight) for i, weight in refs if i in position] or [(0, 0.0)]


def _tools(pathways: Sequence[Pathway]) -> list[_Tool]:
    owners: dict[str, set[tuple[int, int]]] = {}
    for p, pathway in enumerate(pathways):
        for t, tool in enumerate(pathway.tools):
            for alias in tool_aliases(tool):
                owners.setdefault(alias.casefold(), set()).add((p, t))
    return [
        _Tool(alias, _whole_words([alias]), frozenset(found))
        for alias, found in sorted(owners.items())
    ]


@dataclass(frozen=True)
class _Phrases:
    occupations: dict[tuple[str, ...], np.ndarray]  # label words → occupation positions
    longest: int


def _occupation_phrases(taxonomy: Taxonomy) -> _Phrases:
    found: dict[tuple[str, ...], set[int]] = {}
    for index, occupation in enumerate(taxonomy.occupations):
        for label in (occupation.label, *occupation.alt_labels):
            words = tuple(phrase_words(label))
            if len(words) >= 2:
                found.setdefault(words, set()).add(index)
    return _Phrases(
        {words: np.array(sorted(rows), dtype=np.int64) for words, rows in found.items()},
        max((len(words) for words in found), default=0),
    )


def _skill_occupations(
    taxonomy: Taxonomy, position: dict[str, int]
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """For each skill position, the occupations listing it and how: 1.0 essential, 0.5
    optional."""
    pairs: dict[int, list[tuple[int, float]]] = {}
    for index, occupation in enumerate(taxonomy.occupations):
        for relation, weight in ((taxonomy.essential, 1.0), (taxonomy.optional, 0.5)):
            for skill_id in relation.get(occupation.id, ()):
                if skill_id in position:
                    pairs.setdefault(position[skill_id], []).append((index, weight))
    return {
        skill: (
            np.array([o for o, _ in rows], dtype=np.int64),
            np.array([w for _, w in rows], dtype=np.float64),
        )
        for skill, rows in pairs.items()
    }
