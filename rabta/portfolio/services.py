"""Writes for portfolios, evidence, proposals, contracts and the outcome log."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.notifications import notify
from rabta.core.services import event_record
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.taxonomy import taxonomy
from rabta.portfolio import selectors
from rabta.portfolio.models import (
    Attachment,
    Contract,
    ContractKind,
    OutcomeEntry,
    OutcomeKind,
    OutcomeReminder,
    Portfolio,
    PortfolioItem,
    Proposal,
)
from rabta.portfolio.uploads import MAX_ATTACHMENTS_PER_ITEM, file_clean
from rabta.profiling import services as profiling
from rabta.profiling.models import EngagementOutcome

ITEMS_MAX = 30
ITEM_SKILLS_MAX = 12
MILESTONES_MAX = 10
REMINDER_DAYS = (30, 60, 90)
REMINDER_WINDOW_DAYS = 30  # a mark missed for this long is not sent late


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={field: [message]})


def _clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        fields = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        first = next(iter(fields.values()))[0]
        raise DomainError(ErrorCode.VALIDATION_ERROR, first, fields=fields) from None


def _assign(instance: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Set the given fields, trimmed; a name outside ``allowed`` is a programming error."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _pathway_valid(slug: str) -> str:
    if not slug:
        return ""
    try:
        pathway_get(slug)
    except KeyError:
        raise _invalid("pathway", _("Choose one of the pathways listed.")) from None
    return slug


def _dimensions(user: User) -> dict[str, str]:
    return engineer_dimensions(EngineerProfile.objects.filter(user=user).first())


# --- portfolio and items ----------------------------------------------------------------------


def portfolio_ensure(*, user: User) -> Portfolio:
    portfolio = Portfolio.objects.filter(owner=user).first()
    if portfolio is not None:
        return portfolio
    portfolio, _created = Portfolio.objects.get_or_create(
        owner=user,
        defaults={
            "slug": secrets.token_urlsafe(9).lower().replace("_", "-"),
            "display_name": user.display_name[:80],
        },
    )
    return portfolio


def portfolio_update(*, user: User, **fields: Any) -> Portfolio:
    portfolio = portfolio_ensure(user=user)
    _assign(
        portfolio, fields, ("display_name", "headline", "summary", "published", "basic_price_usd")
    )
    _clean(portfolio)
    was_published = Portfolio.objects.filter(pk=portfolio.pk, published=True).exists()
    portfolio.save()
    if portfolio.published and not was_published:
        event_record(
            kind="portfolio.published", actor_id=user.pk, subject=portfolio, **_dimensions(user)
        )
    return portfolio


def _skills_valid(skill_ids: list[str]) -> list[str]:
    known = []
    for skill_id in dict.fromkeys(skill_ids):
        try:
            taxonomy().skill(skill_id)
        except KeyError:
            raise _invalid("skills", _("One of the skills is not in the list.")) from None
        known.append(skill_id)
    if len(known) > ITEM_SKILLS_MAX:
        raise _invalid("skills", _("Choose at most %(n)d skills.") % {"n": ITEM_SKILLS_MAX})
    return known


ITEM_FIELDS = (
    "title",
    "client",
    "year",
    "problem",
    "role",
    "tools",
    "delivered",
    "outcome",
    "pathway",
    "skills",
    "visibility",
)


def item_save(*, user: User, item_id: int | None = None, **fields: Any) -> PortfolioItem:
    portfolio = portfolio_ensure(user=user)
    if item_id is None:
        if portfolio.items.count() >= ITEMS_MAX:
            raise _invalid("title", _("A portfolio holds at most %(n)d items.") % {"n": ITEMS_MAX})
        position = (portfolio.items.aggregate(m=Max("position"))["m"] or 0) + 1
        item = PortfolioItem(portfolio=portfolio, position=position)
    else:
        item = selectors.item_get_for_owner(user=user, item_id=item_id)
    _assign(item, fields, ITEM_FIELDS)
    item.pathway = _pathway_valid(item.pathway)
    item.skills = _skills_valid(list(item.skills or []))
    if item.year and item.year > timezone.localdate().year:
        raise _invalid("year", _("The year cannot be in the future."))
    _clean(item)
    item.save()
    return item


def item_delete(*, user: User, item_id: int) -> None:
    selectors.item_get_for_owner(user=user, item_id=item_id).delete()  # files: signals.py


def attachment_add(
    *, user: User, item_id: int, name: str, data: bytes, label: str = "", cleared: bool = False
) -> Attachment:
    item = selectors.item_get_for_owner(user=user, item_id=item_id)
    if item.attachments.count() >= MAX_ATTACHMENTS_PER_ITEM:
        raise _invalid(
            "file", _("An item holds at most %(n)d files.") % {"n": MAX_ATTACHMENTS_PER_ITEM}
        )
    clean = file_clean(name=name, data=data)
    token = secrets.token_urlsafe(18)
    stored = default_storage.save(f"portfolio/{token}{clean.extension}", ContentFile(clean.content))
    thumb = ""
    try:
        if clean.thumbnail is not None:
            thumb = default_storage.save(
                f"portfolio/{token}-thumb.jpg", ContentFile(clean.thumbnail)
            )
    except Exception:
        default_storage.delete(stored)
        raise
    attachment = Attachment(
        item=item,
        token=token,
        kind=clean.kind,
        file=stored,
        thumbnail=thumb,
        content_type=clean.content_type,
        size=len(clean.content),
        width=clean.width,
        height=clean.height,
        # no fallback to the uploaded name: "ClientCo_tower.pdf" would name a redacted client
        label=label.strip()[:120],
        cleared_for_redacted=cleared,
    )
    try:
        _clean(attachment)
        attachment.save()
    except Exception:
        default_storage.delete(stored)
        if thumb:
            default_storage.delete(thumb)
        raise
    return attachment


def attachment_delete(*, user: User, token: str) -> None:
    selectors.attachment_get_for_owner(user=user, token=token).delete()  # files: signals.py


# --- proposals and contracts -------------------------------------------------------------------

PROPOSAL_FIELDS = (
    "pathway",
    "job_post",
    "client_budget",
    "understanding",
    "approach",
    "milestone_title",
    "milestone_amount",
    "milestone_days",
    "questions",
    "item_id",
)


def proposal_save(*, user: User, proposal_id: int | None = None, **fields: Any) -> Proposal:
    proposal = (
        Proposal(owner=user)
        if proposal_id is None
        else selectors.proposal_get_for_owner(user=user, proposal_id=proposal_id)
    )
    if fields.get("item_id") is not None:  # the owner's own item, or not found
        fields["item_id"] = selectors.item_get_for_owner(user=user, item_id=fields["item_id"]).pk
    _assign(proposal, fields, PROPOSAL_FIELDS)
    proposal.pathway = _pathway_valid(proposal.pathway)
    _clean(proposal)
    proposal.save()
    return proposal


CONTRACT_FIELDS = (
    "kind",
    "engineer_name",
    "engineer_city",
    "client_name",
    "client_country",
    "scope",
    "start_on",
    "milestones",
    "hourly_rate",
    "weekly_hours_cap",
    "platform",
    "governing_law",
)


def contract_save(*, user: User, contract_id: int | None = None, **fields: Any) -> Contract:
    contract = (
        Contract(owner=user)
        if contract_id is None
        else selectors.contract_get_for_owner(user=user, contract_id=contract_id)
    )
    _assign(contract, fields, CONTRACT_FIELDS)
    if contract.kind == ContractKind.FIXED:
        if not contract.milestones:
            raise _invalid("milestones", _("Add at least one milestone."))
        if len(contract.milestones) > MILESTONES_MAX:
            raise _invalid("milestones", _("Use at most %(n)d milestones.") % {"n": MILESTONES_MAX})
    elif contract.kind == ContractKind.HOURLY and not contract.hourly_rate:
        raise _invalid("hourly_rate", _("Give the hourly rate."))
    _clean(contract)
    contract.save()
    return contract


def contract_delete(*, user: User, contract_id: int) -> None:
    selectors.contract_get_for_owner(user=user, contract_id=contract_id).delete()


# --- outcome log -------------------------------------------------------------------------------


def outcome_log(
    *,
    user: User,
    kind: str,
    happened_on: dt.date,
    platform: str = "",
    pathway: str = "",
    count: int = 1,
    amount_usd: Decimal | None = None,
) -> OutcomeEntry:
    """Record what happened.  The first contract also becomes the profiling engine's first
    engagement, which recalibrates the pathway priors."""
    if happened_on > timezone.localdate():
        raise _invalid("happened_on", _("The date cannot be in the future."))
    if kind in (OutcomeKind.CONTRACT, OutcomeKind.EARNING) and amount_usd is None:
        raise _invalid("amount_usd", _("Give the amount in US dollars."))
    if kind == OutcomeKind.CONTRACT and not pathway:
        raise _invalid("pathway", _("Choose the pathway this contract is in."))
    entry = OutcomeEntry(
        owner=user,
        kind=kind,
        happened_on=happened_on,
        platform=platform.strip(),
        pathway=_pathway_valid(pathway),
        count=count if kind == OutcomeKind.PROPOSALS else 1,
        amount_usd=amount_usd if kind in (OutcomeKind.CONTRACT, OutcomeKind.EARNING) else None,
    )
    _clean(entry)
    with transaction.atomic():
        entry.save()
        event_record(
            kind=f"outcome.{kind}",
            actor_id=user.pk,
            subject=entry,
            pathway=entry.pathway,
            value=float(entry.amount_usd) if entry.amount_usd is not None else None,
            **_dimensions(user),
        )
        if (
            kind == OutcomeKind.CONTRACT
            and not EngagementOutcome.objects.filter(user=user).exists()
        ):
            profiling.outcome_record(
                user=user,
                pathway=entry.pathway,
                platform=entry.platform or _("direct client"),
                amount_usd=entry.amount_usd or Decimal(0),
                won_on=entry.happened_on,
            )
    return entry


def outcome_delete(*, user: User, entry_id: int) -> None:
    """Undo a mistaken line.  The first engagement it may have created stays: it is the
    person's own report, corrected on the results page."""
    entry = selectors.outcome_entries(user=user).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    entry.delete()


def outcome_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each participant whose cohort ended 30, 60 or 90 days ago to report outcomes.
    Each mark is sent once (a unique row), and a mark missed for a month is skipped, so a job
    that did not run for a while does not send a burst of stale reminders."""
    from django.urls import reverse

    from rabta.programme.models import Application, ApplicationState

    today = today or timezone.localdate()
    sent = 0
    oldest_end = today - dt.timedelta(days=max(REMINDER_DAYS) + REMINDER_WINDOW_DAYS)
    rows = (
        Application.objects.filter(
            state=ApplicationState.CONFIRMED,
            cohort__ends_on__gte=oldest_end,
            cohort__ends_on__lt=today,
        )
        .values_list("user_id", "cohort__ends_on")
        .order_by("user_id")
    )
    for user_id, ends_on in rows.iterator(chunk_size=1000):
        elapsed = (today - ends_on).days
        due = [d for d in REMINDER_DAYS if d <= elapsed < d + REMINDER_WINDOW_DAYS]
        if not due:
            continue
        day = due[-1]
        with transaction.atomic():
            reminder, created = OutcomeReminder.objects.get_or_create(owner_id=user_id, day=day)
            if not created:
                continue
            notify(
                reminder.owner,
                "outcome.reminder",
                reminder,
                {"n": day},
                url=reverse("portfolio:outcomes"),
            )
        sent += 1
    return sent
