"""Permission-scoped reads for the programme."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rabta.accounts.models import User
from rabta.core.errors import NotFound
from rabta.core.models import Job
from rabta.core.selectors import job_latest
from rabta.profiling import selectors as profiling
from rabta.programme.models import (
    AllocationRun,
    Application,
    ApplicationState,
    Attendance,
    AttendanceSource,
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
SESSION_EXCUSES_SHOWN = 500


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
    waiting = (
        Excuse.objects.filter(session=OuterRef("pk"), state=ExcuseState.PENDING)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = list(
        cohort.sessions.annotate(
            present=Count("attendance", filter=Q(attendance__present=True)),
            waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
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


# --- cohorts past and present: the participant's history, the staff list ----------------------


@dataclass
class SessionMark:
    """One session of a participant's cohort: whether they were there, and their outage
    report for it, if any."""

    session: LiveSession
    ended: bool
    present: bool
    from_recording: bool
    excuse: Excuse | None
    can_report: bool


@dataclass
class Participation:
    """A cohort the person applied to, with what they did in it."""

    application: Application
    sessions: list[SessionMark] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def excuses(self) -> list[Excuse]:
        return [mark.excuse for mark in self.sessions if mark.excuse is not None]


def participation_list_for_user(*, user: User, now: datetime | None = None) -> list[Participation]:
    """Every cohort the caller applied to, newest first, each with its sessions (attendance
    and outage reports) and certificate once they were seated: the caller's own rows only, in
    a fixed number of queries however many cohorts there are."""
    now = now or timezone.now()
    applications = list(
        Application.objects.filter(user=user)
        .select_related("cohort", "certificate")
        .order_by("-cohort__starts_on", "-pk")
    )
    seated = [a for a in applications if a.state == ApplicationState.CONFIRMED]
    sessions: dict[int, list[LiveSession]] = {}
    for session in LiveSession.objects.filter(cohort_id__in={a.cohort_id for a in seated}):
        sessions.setdefault(session.cohort_id, []).append(session)
    attendance = {
        (row.application_id, row.session_id): row
        for row in Attendance.objects.filter(application__in=seated, present=True)
    }
    excuses = {
        (row.application_id, row.session_id): row
        for row in Excuse.objects.filter(application__in=seated)
    }
    rows = []
    for application in applications:
        row = Participation(application=application)
        if application in seated:
            row.certificate = getattr(application, "certificate", None)
            for session in sessions.get(application.cohort_id, []):
                key = (application.pk, session.pk)
                mark, excuse = attendance.get(key), excuses.get(key)
                ended = session.ends_at <= now
                row.sessions.append(
                    SessionMark(
                        session=session,
                        ended=ended,
                        present=mark is not None,
                        from_recording=mark is not None
                        and mark.source == AttendanceSource.RECORDING,
                        excuse=excuse,
                        can_report=ended
                        and mark is None
                        and bool(session.recording_url)
                        and (excuse is None or excuse.state == ExcuseState.PENDING),
                    )
                )
        rows.append(row)
    return rows


class CohortPhase:
    """Where a cohort stands, from its dates (in the cohort's own time zone): taking
    applications, running, finished, or neither yet (upcoming)."""

    OPEN = "open"
    RUNNING = "running"
    FINISHED = "finished"
    UPCOMING = "upcoming"
    CHOICES = (
        (OPEN, _("Applications open")),
        (RUNNING, _("Running")),
        (FINISHED, _("Finished")),
        (UPCOMING, _("Upcoming")),
    )
    FILTERS = (OPEN, RUNNING, FINISHED)


def cohort_phase(cohort: Cohort, now: datetime | None = None) -> str:
    now = now or timezone.now()
    today = timezone.localdate(now, ZoneInfo(cohort.time_zone))
    if cohort.ends_on < today:
        return CohortPhase.FINISHED
    if cohort.starts_on <= today:
        return CohortPhase.RUNNING
    if cohort.applications_open_at <= now < cohort.applications_close_at:
        return CohortPhase.OPEN
    return CohortPhase.UPCOMING


def _by_zone(zones: list[str], now: datetime, build: Callable[[date], Q]) -> Q:
    """``build(today)`` for each cohort time zone in use, OR-ed: a cohort's days are its own
    zone's days."""
    query = Q(pk__in=[])
    for zone in zones:
        query |= Q(time_zone=zone) & build(timezone.localdate(now, ZoneInfo(zone)))
    return query


def _phase_queries(now: datetime) -> dict[str, Q]:
    zones = list(Cohort.objects.order_by().values_list("time_zone", flat=True).distinct())
    window = Q(applications_open_at__lte=now, applications_close_at__gt=now)
    before = _by_zone(zones, now, lambda today: Q(starts_on__gt=today))
    return {
        CohortPhase.OPEN: before & window,
        CohortPhase.RUNNING: _by_zone(
            zones, now, lambda today: Q(starts_on__lte=today, ends_on__gte=today)
        ),
        CohortPhase.FINISHED: _by_zone(zones, now, lambda today: Q(ends_on__lt=today)),
        CohortPhase.UPCOMING: before & ~window,
    }


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """A per-cohort count as a subquery (joins would multiply each other's rows)."""
    counted = queryset.order_by().values("cohort_key").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class CohortList:
    cohorts: QuerySet[Cohort]
    counts: dict[str, int]
    phase: str


def cohort_list_for_staff(
    *, user: User, phase: str = "", now: datetime | None = None
) -> CohortList:
    """Every cohort, newest first, or those of one phase, each with its applications,
    participants, certificates and outage reports waiting, and how many cohorts each phase
    holds: four queries (time zones, phase counts, the page's count and rows) however many
    cohorts there are."""
    if not _is_staff(user):
        return CohortList(Cohort.objects.none(), {}, "")
    now = now or timezone.now()
    queries = _phase_queries(now)
    counts = Cohort.objects.aggregate(
        **{name: Count("pk", filter=query) for name, query in queries.items()}
    )
    cohorts = Cohort.objects.all()
    if phase in CohortPhase.FILTERS:
        cohorts = cohorts.filter(queries[phase])
    else:
        phase = ""
    applications = Application.objects.filter(cohort=OuterRef("pk")).annotate(
        cohort_key=F("cohort_id")
    )
    cohorts = cohorts.annotate(
        applications_count=_count_of(applications.exclude(state=ApplicationState.DRAFT)),
        participants_count=_count_of(applications.filter(state=ApplicationState.CONFIRMED)),
        certificates_count=_count_of(
            Certificate.objects.filter(application__cohort=OuterRef("pk")).annotate(
                cohort_key=F("application__cohort_id")
            )
        ),
        excuses_waiting=_count_of(
            Excuse.objects.filter(
                session__cohort=OuterRef("pk"), state=ExcuseState.PENDING
            ).annotate(cohort_key=F("session__cohort_id"))
        ),
    ).order_by("-starts_on", "-pk")
    return CohortList(cohorts, {name: counts[name] or 0 for name in queries}, phase)


def session_excuses(*, session: LiveSession) -> list[Excuse]:
    """A session's outage reports for its staff page, those waiting for review first."""
    return list(
        Excuse.objects.filter(session=session)
        .select_related("application__user", "reviewed_by")
        .order_by(
            Case(When(state=ExcuseState.PENDING, then=0), default=1),
            "created_at",
            "pk",
        )[:SESSION_EXCUSES_SHOWN]
    )


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
