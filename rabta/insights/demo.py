"""Demo events: the demo seeds people, applications, attendance and assessments in bulk, for
speed, without the events their services would have written; these are written here from the
rows, as the services would have, and rolled up, so the dashboards have something to show."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.services import engineer_dimensions
from rabta.core.models import Event
from rabta.insights.services import rollups_fill
from rabta.portfolio.models import OutcomeEntry, OutcomeKind
from rabta.profiling.models import AssessmentState, EngagementOutcome, ProfileResult
from rabta.profiling.services import assessment_events
from rabta.programme.events import application_event
from rabta.programme.models import Application, Attendance, Excuse, ExcuseState


def _programme_events() -> list[Event]:
    """Registrations, applications and attendance (the seats' events are the programme
    machine's, written as the demo confirmed them)."""
    events: list[Event] = [
        Event(kind="user.registered", actor_id=pk, subject_type="accounts.user", subject_id=pk)
        for pk in User.objects.filter(is_staff=False).values_list("pk", flat=True)
    ]
    applications = Application.objects.select_related("cohort").filter(submitted_at__isnull=False)
    for application in applications.iterator(chunk_size=2000):
        events.append(application_event(application, "programme.applied"))
    present = Attendance.objects.filter(present=True).select_related("application__cohort")
    excused = set(
        Excuse.objects.filter(state=ExcuseState.APPROVED).values_list(
            "session_id", "application_id"
        )
    )
    for row in present.iterator(chunk_size=5000):
        kind = (
            "programme.excused"
            if (row.session_id, row.application_id) in excused
            else "programme.attended"
        )
        events.append(application_event(row.application, kind, item=str(row.session_id)))
    return events


def _outcome_events(profiles: dict[int, EngineerProfile]) -> list[Event]:
    """First engagements and the outcome log (interviews are not counted)."""
    events: list[Event] = []
    users = dict(User.objects.values_list("pk", "date_joined"))
    for outcome in EngagementOutcome.objects.all():
        dims = {**engineer_dimensions(profiles.get(outcome.user_id)), "pathway": outcome.pathway}
        joined = timezone.localdate(users[outcome.user_id])
        days = max(0, (outcome.won_on - joined).days)
        events.append(Event(kind="first_engagement", actor_id=outcome.user_id, value=days, **dims))
    for entry in OutcomeEntry.objects.exclude(kind=OutcomeKind.INTERVIEW):
        dims = {**engineer_dimensions(profiles.get(entry.owner_id)), "pathway": entry.pathway}
        amount = float(entry.amount_usd) if entry.amount_usd is not None else None
        events.append(
            Event(kind=f"outcome.{entry.kind}", actor_id=entry.owner_id, value=amount, **dims)
        )
    return events


def seed_insights() -> int:
    events = _programme_events()
    profiles = {p.user_id: p for p in EngineerProfile.objects.all()}
    results = ProfileResult.objects.select_related("assessment").filter(
        Q(assessment__state=AssessmentState.COMPLETED)
    )
    for result in results.iterator(chunk_size=1000):
        events.extend(
            assessment_events(result.assessment, profiles.get(result.assessment.user_id), result)
        )
    events += _outcome_events(profiles)
    Event.objects.bulk_create(events, batch_size=5000)
    with connection.cursor() as cursor:
        # the applications' events at the time they were submitted: the daily chart's shape
        cursor.execute(
            "UPDATE core_event SET at = (SELECT a.submitted_at FROM programme_application a "
            "WHERE a.id = core_event.subject_id) "
            "WHERE kind = 'programme.applied' AND subject_type = 'programme.application'"
        )
    return rollups_fill(lag=0).events
