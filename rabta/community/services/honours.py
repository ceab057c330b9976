"""The Hall of Fame: members nominate overseas contributors, the council reviews each
nomination, and an honour is published only when the engineer agrees."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, User
from rabta.accounts.roles import Role
from rabta.community import selectors
from rabta.community.models import (
    Honour,
    HonourStatus,
    Member,
    Nomination,
    NominationStatus,
)
from rabta.community.services.guards import reason_clean, refuse_banned
from rabta.community.states import HONOUR, NOMINATION, transition
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.markdown import markdown_render
from rabta.core.notifications import notify

NOMINATIONS_PER_MONTH = 5


def nomination_submit(*, user: User, handle: str, citation: str) -> Nomination:
    refuse_banned(user)
    member = (
        Member.objects.filter(handle__iexact=(handle or "").strip().lstrip("@"))
        .select_related("user")
        .first()
    )
    if member is None or not member.user.has_role(Role.CONTRIBUTOR):
        raise invalid("handle", _("Nominate an overseas contributor by their community handle."))
    if member.user_id == user.pk:
        raise invalid("handle", _("You cannot nominate yourself."))
    citation = (citation or "").strip()
    if not 40 <= len(citation) <= 3000:
        raise invalid("citation", _("Say in 40 to 3,000 characters what this person has given."))
    since = timezone.now() - dt.timedelta(days=30)
    if (
        Nomination.objects.filter(nominator=user, created_at__gte=since).count()
        >= NOMINATIONS_PER_MONTH
    ):
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _("You can make %(n)d nominations in 30 days.") % {"n": NOMINATIONS_PER_MONTH},
        )
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                nominee=member.user,
                nominator=user,
                citation=citation,
                citation_html=markdown_render(citation)[0],
            )
    except IntegrityError as exc:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("You have already nominated this person; the council is reviewing it."),
        ) from exc


def nomination_decide(
    *, reviewer: User, nomination: Nomination, accept: bool, note: str, citation: str = ""
) -> Honour | None:
    if not selectors.reviews_nominations(reviewer):
        raise forbidden()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update()
            .select_related("nominee", "nominator")
            .get(pk=nomination.pk)
        )
        if nomination.status != NominationStatus.SUBMITTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("This nomination was already decided.")
            )
        nomination.decided_at = timezone.now()
        nomination.decided_by = reviewer
        nomination.decision_note = (note or "").strip()[:500]
        transition(
            NOMINATION,
            nomination,
            "accept" if accept else "decline",
            part="staff",
            actor=reviewer,
            fields=["decided_at", "decided_by", "decision_note"],
        )
        if not accept:
            notify(
                nomination.nominator,
                "community.nomination_declined",
                nomination,
                {"name": nomination.nominee.display_name},
                url=reverse("community:hall_of_fame"),
            )
            return None
        honour = _honour_offer(nomination, citation)
    return honour


def _honour_offer(nomination: Nomination, citation: str) -> Honour:
    """This year's place in the Hall of Fame for an accepted nominee, waiting for their
    consent."""
    year = timezone.localdate().year
    if (
        Honour.objects.filter(user=nomination.nominee, year=year)
        .exclude(status__in=[HonourStatus.DECLINED, HonourStatus.WITHDRAWN])
        .exists()
    ):
        raise DomainError(
            ErrorCode.CONFLICT, _("This person is already in this year's Hall of Fame.")
        )
    text = (citation or nomination.citation).strip()[:3000]
    honour = Honour.objects.create(
        user=nomination.nominee,
        nomination=nomination,
        year=year,
        slug=f"{slugify(nomination.nominee.display_name)[:24]}-{year}-{secrets.token_hex(2)}",
        citation=text,
        citation_html=markdown_render(text)[0],
    )
    notify(
        nomination.nominee,
        "community.honour_offered",
        honour,
        url=reverse("community:honour_consent", args=[honour.pk]),
    )
    return honour


def honour_consent(*, user: User, honour: Honour, agree: bool) -> None:
    with transaction.atomic():
        honour = Honour.objects.select_for_update().get(pk=honour.pk)
        if honour.user_id != user.pk:
            raise forbidden()
        if honour.status != HonourStatus.AWAITING_CONSENT:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("You have already answered."))
        honour.published_at = timezone.now() if agree else None
        country = ""
        if agree:
            profile = ContributorProfile.objects.filter(user=user).only("country").first()
            country = str(profile.country) if profile else ""
        transition(
            HONOUR,
            honour,
            "publish" if agree else "decline",
            part="nominee",
            actor=user,
            fields=["published_at"],
            dimensions={"country": country},
        )


def honour_withdraw(*, reviewer: User, honour: Honour, reason: str) -> None:
    if not selectors.reviews_nominations(reviewer):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        honour = Honour.objects.select_for_update().get(pk=honour.pk)
        if honour.status not in (HonourStatus.AWAITING_CONSENT, HonourStatus.PUBLISHED):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This honour is not current."))
        transition(HONOUR, honour, "withdraw", part="staff", actor=reviewer, reason=reason)
