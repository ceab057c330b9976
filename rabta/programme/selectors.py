"""Permission-scoped reads for the programme."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from rabta.accounts.models import User
from rabta.core.errors import NotFound
from rabta.core.models import Job
from rabta.core.selectors import job_latest
from rabta.profiling import selectors as profiling
from rabta.programme.models import (
    AllocationRun,
    Application,
    ApplicationState,
    Certificate,
    Cohort,
    Excuse,
    ExcuseState,
    JoinLink,
    LiveSession,
)

STAFF_PERM = "programme.view_application"
FEED_SALT = "rabta.programme.calendar-feed"
PENDING_EXCUSES_SHOWN = 200


def cohort_list_open(*, now: Any = None) -> QuerySet[Cohort]:
    now = now or timezone.now()
    return Cohort.objects.filter(applications_close_at__gt=now - timedelta(days=60)).order_by(
        "applications_open_at"
    )


def cohort_get_by_slug(*, slug: str) -> Cohort:
    cohort = Cohort.objects.filter(slug=slug).first()
    if cohort is None:
        raise NotFound()
    return cohort


def application_for_user(*, user: User, cohort: Cohort) -> Application | None:
    return Application.objects.filter(cohort=cohort, user=user).first()


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    return Application.objects.filter(user=user).select_related("cohort").order_by("-created_at")


def application_get_for_user(*, user: User, application_id: int) -> Application:
    application = Application.objects.select_related("cohort").filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    if application.user_id == user.pk or _is_staff(user):
        return application
    raise NotFound()


def waitlist_position(*, application: Application) -> int | None:
    """1 for the next person to be offered a freed seat."""
    if application.state != ApplicationState.WAITLISTED:
        return None
    ahead = Application.objects.filter(
        cohort_id=application.cohort_id, state=ApplicationState.WAITLISTED
    )
    if application.lottery_rank is not None:
        ahead = ahead.filter(lottery_rank__lt=application.lottery_rank)
    elif application.submitted_at is None:
        ahead = ahead.filter(pk__lt=application.pk)
    else:
        ahead = ahead.filter(
            Q(submitted_at__lt=application.submitted_at)
            | Q(submitted_at=application.submitted_at, pk__lt=application.pk)
        )
    return ahead.count() + 1


def _is_staff(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm(STAFF_PERM)
        and getattr(user, "is_verified", lambda: False)()
    )


def applicant_list_for_staff(*, user: User, filters: dict[str, str]) -> QuerySet[Application]:
    if not _is_staff(user):
        return Application.objects.none()
    queryset = (
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .select_related("user", "cohort")
        .order_by("submitted_at", "pk")
    )
    if filters.get("cohort"):
        queryset = queryset.filter(cohort__slug=filters["cohort"])
    if filters.get("state") in ApplicationState.values:
        queryset = queryset.filter(state=filters["state"])
    if filters.get("province"):
        queryset = queryset.filter(province=filters["province"])
    if filters.get("gender"):
        queryset = queryset.filter(gender=filters["gender"])
    return queryset


def cohort_overview(*, user: User, cohort: Cohort) -> dict[str, Any]:
    if not _is_staff(user):
        raise NotFound()
    submitted = Application.objects.filter(cohort=cohort).exclude(state=ApplicationState.DRAFT)
    by_state = dict(submitted.values_list("state").annotate(n=Count("pk")))
    seated = submitted.filter(state__in=(ApplicationState.OFFERED, ApplicationState.CONFIRMED))
    total_seated = seated.count()
    women = seated.filter(gender="woman").count()
    early = seated.filter(early_career=True).count()
    provinces = list(seated.values("province").annotate(n=Count("pk")).order_by("-n"))
    since = timezone.now() - timedelta(hours=48)
    per_hour = list(
        submitted.filter(submitted_at__gte=since)
        .annotate(hour=TruncHour("submitted_at"))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    return {
        "by_state": by_state,
        "applications": sum(by_state.values()),
        "seated": total_seated,
        "women_share": women / total_seated if total_seated else 0.0,
        "early_share": early / total_seated if total_seated else 0.0,
        "provinces": provinces,
        "per_hour": per_hour,
        "waitlist": by_state.get(ApplicationState.WAITLISTED, 0),
    }


def applicant_list_with_assessment(*, user: User, filters: dict[str, str]) -> QuerySet[Application]:
    """The staff applicant list, each row marked ``assessed`` when the applicant has completed
    the profiling assessment (one subquery, not a query per row)."""
    assessed = profiling.assessments_completed_of(user_id=OuterRef("user_id"))
    return applicant_list_for_staff(user=user, filters=filters).annotate(assessed=Exists(assessed))


def allocation_key(cohort: Cohort) -> str:
    """The key of a cohort's allocation job: one runs at a time."""
    return f"allocation:{cohort.pk}"


def allocation_job(*, cohort: Cohort) -> Job | None:
    return job_latest(key=allocation_key(cohort))


def allocation_run_get(*, cohort: Cohort, raw: str | None) -> AllocationRun | None:
    """The run a finished allocation job points the page at (``?run=<id>``), of this cohort."""
    if not raw or not raw.isdigit():
        return None
    return AllocationRun.objects.filter(cohort=cohort, pk=int(raw)).first()


def allocation_committed(*, cohort: Cohort) -> AllocationRun | None:
    return AllocationRun.objects.filter(cohort=cohort, committed=True).first()


# --- sessions, attendance, certificates ---------------------------------------------------------


def application_confirmed_for_user(*, user: User, slug: str) -> Application | None:
    """The caller's own confirmed seat in the cohort ``slug``, if they hold one."""
    return (
        Application.objects.select_related("cohort", "user")
        .filter(cohort__slug=slug, user=user, state=ApplicationState.CONFIRMED)
        .first()
    )


def application_for_feed_token(token: str) -> Application:
    """The confirmed application a calendar feed's signed token names (made by
    ``services.calendar_feed_token``); anything else is not found."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature as exc:
        raise NotFound() from exc
    application_id = data.get("a") if isinstance(data, dict) else None
    application = (
        Application.objects.select_related("cohort", "user")
        .filter(pk=application_id, state=ApplicationState.CONFIRMED)
        .first()
        if isinstance(application_id, int)
        else None
    )
    if application is None:
        raise NotFound()
    return application


def sessions_for_participant(*, application: Application) -> list[tuple[LiveSession, str]]:
    """The cohort's sessions with the caller's own join link: only a confirmed participant
    with a group sees links, and only their group's."""
    sessions = list(application.cohort.sessions.all())
    links: dict[int, str] = {}
    if application.state == ApplicationState.CONFIRMED and application.group_number:
        links = dict(
            JoinLink.objects.filter(
                session__cohort=application.cohort, group_number=application.group_number
            ).values_list("session_id", "url")
        )
    return [(session, links.get(session.pk, "")) for session in sessions]


def attendance_by_session(*, application: Application) -> dict[int, bool]:
    """Session id → present, for the participant's own page."""
    return dict(application.attendance.values_list("session_id", "present"))


def certificate_for_application(*, application: Application) -> Certificate | None:
    return Certificate.objects.filter(application=application).first()


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate a public verification link names (codes are upper case)."""
    return (
        Certificate.objects.select_related("application__user", "application__cohort")
        .filter(code=code.upper()[:16])
        .first()
    )


def session_of_cohort(*, session_id: int, slug: str) -> LiveSession | None:
    return LiveSession.objects.filter(pk=session_id, cohort__slug=slug).first()


def cohort_delivery(*, cohort: Cohort) -> dict[str, Any]:
    """What the staff sessions page shows: sessions with their attendance, the participant
    groups, excuses waiting for review and the certificates issued."""
    sessions = list(
        cohort.sessions.annotate(
            present=Count("attendance", filter=Q(attendance__present=True))
        ).order_by("starts_at")
    )
    groups = (
        Application.objects.filter(cohort=cohort, state=ApplicationState.CONFIRMED)
        .values("group_number")
        .annotate(n=Count("pk"))
        .order_by("group_number")
    )
    excuses = Excuse.objects.filter(
        session__cohort=cohort, state=ExcuseState.PENDING
    ).select_related("session", "application__user")[:PENDING_EXCUSES_SHOWN]
    return {
        "sessions": sessions,
        "groups": groups,
        "excuses": excuses,
        "certificates": Certificate.objects.filter(application__cohort=cohort).count(),
        "certificates_job": job_latest(key=f"certificates:{cohort.pk}"),
    }


# --- what other apps read of the programme -----------------------------------------------------


def cohorts_newest_first() -> QuerySet[Cohort]:
    """Every cohort, the latest to start first."""
    return Cohort.objects.order_by("-starts_on")


def cohort_current() -> Cohort | None:
    """The cohort taking applications now, or else the latest to start."""
    now = timezone.now()
    open_now = Cohort.objects.filter(
        applications_open_at__lte=now, applications_close_at__gte=now
    ).order_by("-applications_open_at")
    return open_now.first() or cohorts_newest_first().first()


def cohort_sessions(*, cohort: Cohort) -> list[LiveSession]:
    """The cohort's live sessions in the order they run."""
    return list(LiveSession.objects.filter(cohort=cohort).order_by("starts_at"))


def certificates_standing_of(*, user: User) -> QuerySet[Certificate]:
    """The person's certificates that stand (not revoked)."""
    return Certificate.objects.filter(
        application__user=user, revoked_at__isnull=True
    ).select_related("application__cohort")


def cohort_ends_confirmed(*, since: date, before: date) -> Iterator[tuple[int, date]]:
    """(person, the day their cohort ended) for every confirmed seat in a cohort that ended in
    [since, before), by person."""
    rows = (
        Application.objects.filter(
            state=ApplicationState.CONFIRMED,
            cohort__ends_on__gte=since,
            cohort__ends_on__lt=before,
        )
        .values_list("user_id", "cohort__ends_on")
        .order_by("user_id")
    )
    return rows.iterator(chunk_size=1000)
