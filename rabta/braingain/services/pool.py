"""The contributor pool: every contributor's facts, snapshotted for suggestions.

Suggestions read every contributor's facts.  The snapshot is cached under a version number that
a change to any contributor profile bumps (see ``signals.py``), and a process keeps the snapshot
of the current version to skip unpickling it.  Loads change with every request, so the snapshot
only proposes candidates: the ones shown are re-read and re-scored from the database.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction

from rabta.braingain.facts import ask_facts, asked_contributors, contributor_facts
from rabta.braingain.models import Ask
from rabta.engine import matching
from rabta.engine.matching import ContributorPool, Suggestion

POOL_SECONDS = 600
CANDIDATE_FACTOR = 4

_POOL_VERSION_KEY = "braingain:pool-version"
_memo: dict[str, Any] = {}


def _pool_bump() -> None:
    try:
        cache.incr(_POOL_VERSION_KEY)
    except ValueError:
        cache.set(_POOL_VERSION_KEY, secrets.randbits(62), None)


def pool_invalidate() -> None:
    """Bump now (this transaction's own reads see the change) and again after commit (a
    snapshot another process built from the pre-commit data in between is not reused)."""
    _pool_bump()
    transaction.on_commit(_pool_bump)


def contributor_pool() -> ContributorPool:
    version = cache.get(_POOL_VERSION_KEY)
    if version is None:
        # random, so a cleared cache never brings back an old snapshot's key
        version = secrets.randbits(62)
        cache.add(_POOL_VERSION_KEY, version, None)
        version = cache.get(_POOL_VERSION_KEY, version)
    key = f"braingain:pool:{version}"
    memo = _memo.get("pool")
    if memo is not None and memo[0] == key and memo[1] > time.monotonic():
        return memo[2]
    pool = cache.get(key)
    if pool is None:
        pool = ContributorPool(contributor_facts())
        cache.set(key, pool, POOL_SECONDS)
    _memo["pool"] = (key, time.monotonic() + POOL_SECONDS, pool)
    return pool


def suggestions(*, ask: Ask, limit: int = 5) -> list[Suggestion]:
    """The best ``limit`` contributors for ``ask`` with their reasons.  Candidates come from the
    cached pool; each is then checked and scored on its current facts (places, pause, pending
    requests), so nobody full or paused is shown whatever the age of the snapshot."""
    wanted = ask_facts(ask)
    candidates = contributor_pool().rank(
        wanted, limit=limit * CANDIDATE_FACTOR, exclude=asked_contributors(ask)
    )
    current = contributor_facts(user_ids=[c.contributor_id for c in candidates])
    scored = [matching.score_one(wanted, c) for c in current if matching.eligible(wanted, c)]
    scored.sort(key=lambda s: (-s.score, s.contributor_id))
    return scored[:limit]
