"""How close two ESCO skills are, for the partial credit pathway scoring gives to related
skills.  Cosine similarity of the shipped skill vectors where they are available; otherwise only a
skill is close to itself."""

from __future__ import annotations

from functools import cache

from rabta.engine.scoring import Similarity, exact_similarity


@cache
def skill_similarity() -> Similarity:
    return exact_similarity
