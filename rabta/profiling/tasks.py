from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from rabta.core.jobs import Outcome, Progress, job_task


@job_task(_("Import job postings"))
def postings_import_task(
    stored: str, name: str, actor_id: int | None = None, *, progress: Progress
) -> Outcome:
    """Check, store and classify an uploaded file of postings (see ``postings_import_run``:
    a refused file is an outcome shown on the postings page, and a rerun is harmless)."""
    from rabta.profiling.services.postings import postings_import_run

    return postings_import_run(stored=stored, name=name, actor_id=actor_id, progress=progress)


@job_task(_("Classify imported postings"))
def postings_classify_task(import_id: int | None = None, *, progress: Progress) -> Outcome:
    """Classify imported postings into pathways and occupations (resumable: a rerun finishes
    what a stopped one left)."""
    from rabta.profiling.services.postings import postings_classify

    return Outcome(
        f"{postings_classify(import_id=import_id, progress=progress)} postings classified"
    )


@job_task(_("Recalibrate pathway priors from outcomes"))
def priors_recalibrate_task() -> None:
    from rabta.profiling.services import priors_recalibrate

    priors_recalibrate()


# Not a core.jobs job: a suggestion takes a tenth of a second, is nobody's business but its
# author's, and its page already shows where it is (Assessment.suggestions_asked_at).
@shared_task(ignore_result=True)
def skill_suggestions_task(assessment_id: int, fingerprint: str) -> int:
    """Suggest skills from an assessment's experience text, from this worker process's loaded
    model (idempotent: see ``skill_suggestions_compute``)."""
    from rabta.profiling.services.skills import skill_suggestions_compute

    return skill_suggestions_compute(assessment_id=assessment_id, fingerprint=fingerprint)
