from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def postings_classify_task(import_id: int | None = None) -> int:
    """Classify imported postings into pathways and occupations (resumable: a rerun finishes
    what a stopped one left)."""
    from rabta.profiling.services.postings import postings_classify

    return postings_classify(import_id=import_id)


@shared_task(ignore_result=True)
def priors_recalibrate_task() -> None:
    from rabta.profiling.services import priors_recalibrate

    priors_recalibrate()
