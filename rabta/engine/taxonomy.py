"""The skills taxonomy, loaded from the compact files derived from ESCO v1.1.1 and O*NET
(``scripts/derive_taxonomy.py``).  Pure Python: no Django, no network, no files outside the
package."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Skill:
    id: str
    type: str  # "S" skill/competence, "K" knowledge
    reuse: str
    label: str
    alt_labels: tuple[str, ...]
    description: str

    @property
    def uri(self) -> str:
        return f"http://data.europa.eu/esco/skill/{self.id}"


@dataclass(frozen=True)
class Occupation:
    id: str
    isco: str
    code: str
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True)
class Technology:
    name: str
    commodity: str
    hot: bool
    in_demand: bool
    occupations: int


@dataclass
class Taxonomy:
    skills: list[Skill]
    occupations: list[Occupation]
    technology: list[Technology]
    essential: dict[str, list[str]] = field(default_factory=dict)  # occupation id → skill ids
    optional: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._skills = {skill.id: skill for skill in self.skills}
        self._occupations = {occupation.id: occupation for occupation in self.occupations}
        self._index: dict[str, set[str]] = defaultdict(set)
        for skill in self.skills:
            for label in (skill.label, *skill.alt_labels):
                for word in _words(label):
                    self._index[word].add(skill.id)

    def skill(self, skill_id: str) -> Skill:
        return self._skills[skill_id]

    def occupation(self, occupation_id: str) -> Occupation:
        return self._occupations[occupation_id]

    def search(self, text: str, limit: int = 10) -> list[Skill]:
        """Skills whose labels contain every word typed (prefixes allowed for the last word),
        preferred labels and shorter labels first: search-as-you-type."""
        words = _words(text)
        if not words:
            return []
        *full, last = words
        candidates: set[str] | None = None
        for word in full:
            found = self._index.get(word, set())
            candidates = found if candidates is None else candidates & found
        prefixed: set[str] = set()
        for word, ids in self._index.items():
            if word.startswith(last):
                prefixed |= ids
        candidates = prefixed if candidates is None else candidates & prefixed

        def rank(skill_id: str) -> tuple[int, int, str]:
            skill = self._skills[skill_id]
            in_preferred = all(any(w.startswith(x) for w in _words(skill.label)) for x in words)
            return (0 if in_preferred else 1, len(skill.label), skill.label)

        return [self._skills[i] for i in sorted(candidates, key=rank)[:limit]]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#.]+", text.casefold())


def _rows(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        return list(
            csv.DictReader(io.StringIO(handle.read()), delimiter="\t", quoting=csv.QUOTE_NONE)
        )


def _split(labels: str) -> tuple[str, ...]:
    return tuple(label for label in labels.split("|") if label)


@cache
def taxonomy() -> Taxonomy:
    skills = [
        Skill(r["id"], r["type"], r["reuse"], r["label"], _split(r["alt_labels"]), r["description"])
        for r in _rows("esco_skills.tsv.gz")
    ]
    occupations = [
        Occupation(r["id"], r["isco"], r["code"], r["label"], _split(r["alt_labels"]))
        for r in _rows("esco_occupations.tsv.gz")
    ]
    technology = [
        Technology(
            r["example"],
            r["commodity"],
            r["hot"] == "Y",
            r["in_demand"] == "Y",
            int(r["occupations"]),
        )
        for r in _rows("onet_technology.tsv.gz")
    ]
    essential: dict[str, list[str]] = defaultdict(list)
    optional: dict[str, list[str]] = defaultdict(list)
    for r in _rows("esco_occupation_skills.tsv.gz"):
        target = essential if r["relation"] == "E" else optional
        target[occupations[int(r["occupation"])].id].append(skills[int(r["skill"])].id)
    return Taxonomy(skills, occupations, technology, dict(essential), dict(optional))
