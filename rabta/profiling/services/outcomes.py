"""Outcomes and calibration: a participant's reported first engagement, and the pathway priors
recomputed from what people chose and won."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.services import event_record
from rabta.engine import scoring
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.pathways import pathways
from rabta.profiling import selectors
from rabta.profiling.models import (
    AssessmentState,
    EngagementOutcome,
    PathwayPrior,
    ProfileResult,
)


def _outcome_checked(pathway: str, won_on: date) -> None:
    try:
        pathway_get(pathway)
    except KeyError:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Choose one of the pathways listed."),
            fields={"pathway": [_("Unknown pathway.")]},
        ) from None
    if won_on > timezone.localdate():
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The date cannot be in the future."),
            fields={"won_on": [_("The date cannot be in the future.")]},
        )


def outcome_record(
    *, user: User, pathway: str, platform: str, amount_usd: Decimal, won_on: date
) -> EngagementOutcome:
    _outcome_checked(pathway, won_on)
    outcome, _created = EngagementOutcome.objects.update_or_create(
        user=user,
        defaults={
            "pathway": pathway,
            "platform": platform[:60],
            "amount_usd": amount_usd,
            "won_on": won_on,
        },
    )
    event_record(
        kind="first_engagement",
        actor_id=user.pk,
        subject=outcome,
        # time to the first engagement: days from joining Rabta to the engagement's date
        value=max(0, (won_on - timezone.localdate(user.date_joined)).days),
        pathway=pathway,
        **engineer_dimensions(selectors.engineer_profile(user_id=user.pk)),
    )
    priors_recalibrate()
    return outcome


def _chosen_latest() -> Counter[str]:
    """The pathway each participant chose in their latest results."""
    latest = (
        ProfileResult.objects.filter(assessment__state=AssessmentState.COMPLETED)
        .values("assessment__user")
        .annotate(last=Max("assessment__number"))
    )
    chosen: Counter[str] = Counter()
    last_by_user = {row["assessment__user"]: row["last"] for row in latest}
    for user_id, number, slug in ProfileResult.objects.filter(
        assessment__user__in=list(last_by_user)
    ).values_list("assessment__user", "assessment__number", "chosen_pathway"):
        if slug and last_by_user.get(user_id) == number:
            chosen[slug] += 1
    return chosen


def priors_recalibrate() -> dict[str, float]:
    """Recompute every pathway's prior from outcomes (``scoring.calibrate``): participants who
    chose a pathway in their latest results, and first engagements reported in each."""
    chosen = _chosen_latest()
    won = Counter(EngagementOutcome.objects.values_list("pathway", flat=True))
    for slug, n in won.items():  # a win counts as having pursued the pathway
        chosen[slug] = max(chosen[slug], n)
    base = {p.slug: p.demand_prior for p in pathways()}
    calibrated = scoring.calibrate(base, chosen, won)
    with transaction.atomic():
        for slug, prior in calibrated.items():
            PathwayPrior.objects.update_or_create(
                slug=slug,
                defaults={"prior": prior, "chosen": chosen.get(slug, 0), "won": won.get(slug, 0)},
            )
    return calibrated
