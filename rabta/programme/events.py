"""The programme's domain events: each carries the dimensions copied onto the application at
submission, so the dashboards never join back to a profile."""

from __future__ import annotations

from rabta.core.models import Event
from rabta.programme.models import Application


def application_dimensions(application: Application) -> dict[str, str]:
    """What an event about ``application`` is counted by."""
    return {
        "cohort": application.cohort.slug,
        "province": application.province,
        "district": application.district,
        "gender": application.gender,
        "discipline": application.discipline,
        "career": "early" if application.early_career else "experienced",
    }


def application_event(
    application: Application, kind: str, *, actor_id: int | None = None, item: str = ""
) -> Event:
    """An unsaved event about ``application`` (callers save one or bulk-create many)."""
    return Event(
        kind=kind,
        actor_id=actor_id,
        subject_type="programme.application",
        subject_id=application.pk,
        item=item,
        **application_dimensions(application),
    )
