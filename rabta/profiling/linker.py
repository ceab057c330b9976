"""The linker the platform uses, built once per process from the shipped taxonomy."""

from __future__ import annotations

from functools import cache

from rabta.engine.linking import HybridLinker
from rabta.engine.taxonomy import taxonomy


@cache
def skill_linker() -> HybridLinker:
    return HybridLinker(taxonomy())
