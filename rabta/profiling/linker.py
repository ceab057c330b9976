"""The text encoder, skill linker and posting classifier the platform uses, each built once per
process from the shipped taxonomy, model and vectors.

``RABTA_TEXT_ENCODER`` chooses the sentence encoder: ``"minilm"`` (the default) runs
all-MiniLM-L6-v2 against the precomputed skill and occupation vectors; ``"hashing"`` is a fast
stand-in for tests and machines without the model, with which skill linking falls back to the
lexical linker (stand-in vectors for 13,896 skills would take too long to compute per process)
and occupations are compared with stand-in vectors of their labels.

The web process never builds the encoder or the linker: suggestions from a person's text are
computed by a worker (``tasks.skill_suggestions_task``), whose processes build the linker once,
in the background as each starts (``warm_in_background``), and keep it.  The web process reads
the skill vectors alone (``skill_vectors``), for the similarity of skills in results.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings

from rabta.engine.embedding import (
    Encoder,
    HashingEncoder,
    MiniLMEncoder,
    VectorIndex,
    blas_threads,
    build_index,
    model_id,
)
from rabta.engine.linking import HybridLinker, shipped_skill_vectors
from rabta.engine.pathways import pathways
from rabta.engine.postings import (
    PostingClassifier,
    occupation_texts,
    shipped_occupation_vectors,
)
from rabta.engine.taxonomy import taxonomy

log = logging.getLogger(__name__)
T = TypeVar("T")
# One lock for all the builders: they call each other (the classifier needs the linker), and a
# thread that finds one being built waits for it instead of building a second copy.
_BUILDING = threading.RLock()
# The BLAS thread count is the process's: suggestions take turns setting and restoring it.
_SUGGESTING = threading.Lock()
_MISSING = object()

ENCODERS = ("minilm", "hashing")


def encoder_name() -> str:
    name = getattr(settings, "RABTA_TEXT_ENCODER", "minilm")
    if name not in ENCODERS:
        raise ValueError(f"RABTA_TEXT_ENCODER must be one of {ENCODERS}, not {name!r}")
    return str(name)


class _Once(Generic[T]):
    """``build()`` run once per process, on first use, by whichever thread asks first."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._built: object = _MISSING
        self.__doc__ = build.__doc__

    def __call__(self) -> T:
        if self._built is _MISSING:
            with _BUILDING:
                if self._built is _MISSING:
                    self._built = self._build()
        return self._built  # type: ignore[return-value]

    def built(self) -> bool:
        return self._built is not _MISSING

    def cache_clear(self) -> None:
        self._built = _MISSING


@_Once
def text_encoder() -> Encoder:
    return HashingEncoder() if encoder_name() == "hashing" else MiniLMEncoder()


@_Once
def skill_vectors() -> VectorIndex | None:
    """The shipped skill vectors, checked against the installed model without loading it; None
    with the stand-in encoder."""
    if encoder_name() == "hashing":
        return None
    return shipped_skill_vectors(taxonomy(), model=model_id())


@_Once
def skill_linker() -> HybridLinker:
    encoder = text_encoder()
    if not isinstance(encoder, MiniLMEncoder):
        return HybridLinker(taxonomy())
    return HybridLinker(taxonomy(), encoder=encoder, vectors=skill_vectors())


@_Once
def posting_classifier() -> PostingClassifier:
    t, encoder = taxonomy(), text_encoder()
    if isinstance(encoder, MiniLMEncoder):
        occupations = shipped_occupation_vectors(t, model=encoder.model_id)
    else:
        occupations = build_index(
            encoder, [o.id for o in t.occupations], [occupation_texts(o) for o in t.occupations]
        )
    return PostingClassifier(t, pathways(), skill_linker(), encoder, occupations)


def skills_suggest(text: str, top: int) -> list[tuple[str, float]]:
    """The ``top`` skills the text mentions, best first, from this process's linker.  The BLAS
    runs on one thread: each worker process is one unit of parallelism (see ``blas_threads``)."""
    linker = skill_linker()
    with _SUGGESTING, blas_threads(1):
        return linker.link(text, top)


def warm() -> float:
    """Build the skill linker and run it once (first calls pay for page faults and BLAS
    start-up); the seconds it took."""
    started = time.perf_counter()
    skills_suggest("Prepared AutoCAD drawings and Revit models for buildings.", 1)
    return time.perf_counter() - started


def warm_in_background() -> threading.Thread:
    """Warm this process in a thread, so that a worker process answers its first suggestion
    from a loaded model without delaying its start.  Not in ``worker_process_init`` itself:
    Celery kills a pool process that has not said it is up within 4 s
    (``worker_proc_alive_timeout``), and two pool processes warming at once on two cores took
    from 3 to 10 s each, depending on what else ran (benchmarks/suggester.py)."""

    def run() -> None:
        try:
            log.info("skill suggester warm in %.1f s", warm())
        except Exception:  # the first suggestion builds it again, and fails loudly if it must
            log.exception("skill suggester could not warm up")

    thread = threading.Thread(target=run, name="skill-suggester-warm", daemon=True)
    thread.start()
    return thread


def clear_caches() -> None:
    """Forget the built objects, for tests that change ``RABTA_TEXT_ENCODER``."""
    for built in (text_encoder, skill_vectors, skill_linker, posting_classifier):
        built.cache_clear()
