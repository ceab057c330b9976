"""The text encoder, skill linker and posting classifier the platform uses, each built once per
process from the shipped taxonomy, model and vectors.

``RABTA_TEXT_ENCODER`` chooses the sentence encoder: ``"minilm"`` (the default) runs
all-MiniLM-L6-v2 against the precomputed skill and occupation vectors; ``"hashing"`` is a fast
stand-in for tests and machines without the model, with which skill linking falls back to the
lexical linker (stand-in vectors for 13,896 skills would take too long to compute per process)
and occupations are compared with stand-in vectors of their labels.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from rabta.engine.embedding import Encoder, HashingEncoder, MiniLMEncoder, build_index
from rabta.engine.linking import HybridLinker, shipped_skill_vectors
from rabta.engine.pathways import pathways
from rabta.engine.postings import (
    PostingClassifier,
    occupation_texts,
    shipped_occupation_vectors,
)
from rabta.engine.taxonomy import taxonomy

ENCODERS = ("minilm", "hashing")


def encoder_name() -> str:
    name = getattr(settings, "RABTA_TEXT_ENCODER", "minilm")
    if name not in ENCODERS:
        raise ValueError(f"RABTA_TEXT_ENCODER must be one of {ENCODERS}, not {name!r}")
    return str(name)


@cache
def text_encoder() -> Encoder:
    return HashingEncoder() if encoder_name() == "hashing" else MiniLMEncoder()


@cache
def skill_linker() -> HybridLinker:
    encoder = text_encoder()
    if not isinstance(encoder, MiniLMEncoder):
        return HybridLinker(taxonomy())
    vectors = shipped_skill_vectors(taxonomy(), model=encoder.model_id)
    return HybridLinker(taxonomy(), encoder=encoder, vectors=vectors)


@cache
def posting_classifier() -> PostingClassifier:
    t, encoder = taxonomy(), text_encoder()
    if isinstance(encoder, MiniLMEncoder):
        occupations = shipped_occupation_vectors(t, model=encoder.model_id)
    else:
        occupations = build_index(
            encoder, [o.id for o in t.occupations], [occupation_texts(o) for o in t.occupations]
        )
    return PostingClassifier(t, pathways(), skill_linker(), encoder, occupations)


def clear_caches() -> None:
    """Forget the built objects, for tests that change ``RABTA_TEXT_ENCODER``."""
    for built in (text_encoder, skill_linker, posting_classifier):
        built.cache_clear()
