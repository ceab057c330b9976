"""Permission-scoped reads for the programme."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from rabta.accounts.models import User
from rabta.core.errors import NotFound
from rabta.programme.models import Application, ApplicationState, Cohort

STAFF_PERM = "programme.view_application"


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
