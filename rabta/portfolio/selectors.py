"""Reads, each scoped to who is asking.  The owner sees everything of theirs; everyone else,
whatever their role, sees only what the owner made public on a published page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from rabta.accounts import selectors as accounts
from rabta.accounts.models import EngineerProfile, User
from rabta.core.errors import NotFound
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.taxonomy import taxonomy
from rabta.portfolio.models import (
    Attachment,
    Contract,
    OutcomeEntry,
    OutcomeKind,
    Portfolio,
    PortfolioItem,
    Proposal,
    Visibility,
)
from rabta.profiling import selectors as profiling
from rabta.programme import selectors as programme
from rabta.programme.models import Certificate

SHOWN = (Visibility.PUBLIC, Visibility.REDACTED)


def _public_attachments() -> Q:
    """Files a visitor may see: those of public items, and of redacted items only the files the
    owner cleared as showing nothing confidential."""
    return Q(item__visibility=Visibility.PUBLIC) | Q(
        item__visibility=Visibility.REDACTED, cleared_for_redacted=True
    )


def portfolio_of(*, user: User) -> Portfolio | None:
    """The person's own portfolio, as stored now."""
    return Portfolio.objects.filter(owner=user).first()


def portfolio_published(*, portfolio_id: int) -> bool:
    """Whether the stored portfolio's public page is on (before a change is saved)."""
    return Portfolio.objects.filter(pk=portfolio_id, published=True).exists()


def portfolio_get_public(*, slug: str) -> Portfolio:
    found = Portfolio.objects.filter(slug=slug, published=True).first()
    if found is None:
        raise NotFound()
    return found


def items_for_owner(*, portfolio: Portfolio) -> QuerySet[PortfolioItem]:
    return portfolio.items.prefetch_related("attachments")


def items_public(*, portfolio: Portfolio) -> QuerySet[PortfolioItem]:
    """What a visitor, an export or another role sees: shown items, with only their shown files."""
    return portfolio.items.filter(visibility__in=SHOWN).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.filter(_public_attachments()))
    )


def item_get_for_owner(*, user: User, item_id: int) -> PortfolioItem:
    found = PortfolioItem.objects.filter(pk=item_id, portfolio__owner=user).first()
    if found is None:
        raise NotFound()
    return found


def attachment_get_for_viewer(*, user: User | None, token: str) -> Attachment:
    """The owner may open any of their files; anyone else only a shown file of a published page."""
    base = Attachment.objects.select_related("item__portfolio").filter(token=token)
    mine = (
        Q(item__portfolio__owner=user)
        if user is not None and user.is_authenticated
        else Q(pk__in=[])
    )
    found = base.filter(mine | (Q(item__portfolio__published=True) & _public_attachments())).first()
    if found is None:
        raise NotFound()
    return found


def attachment_get_for_owner(*, user: User, token: str) -> Attachment:
    found = (
        Attachment.objects.select_related("item")
        .filter(token=token, item__portfolio__owner=user)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def proposal_get_for_owner(*, user: User, proposal_id: int) -> Proposal:
    found = Proposal.objects.filter(pk=proposal_id, owner=user).first()
    if found is None:
        raise NotFound()
    return found


def contract_get_for_owner(*, user: User, contract_id: int) -> Contract:
    found = Contract.objects.filter(pk=contract_id, owner=user).first()
    if found is None:
        raise NotFound()
    return found


def contract_list(*, user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(owner=user)


def outcome_entries(*, user: User) -> QuerySet[OutcomeEntry]:
    return OutcomeEntry.objects.filter(owner=user)


def attachment_count(*, item: PortfolioItem) -> int:
    return item.attachments.count()


def attachments_of(*, item: PortfolioItem) -> list[Attachment]:
    """The owner's view of an item's files."""
    return list(item.attachments.all())


def proposal_list(*, user: User, limit: int = 10) -> QuerySet[Proposal]:
    return Proposal.objects.filter(owner=user)[:limit]


def outcome_entry_get_for_owner(*, user: User, entry_id: int) -> OutcomeEntry:
    found = outcome_entries(user=user).filter(pk=entry_id).first()
    if found is None:
        raise NotFound()
    return found


def outcome_summary(*, user: User) -> dict[str, Any]:
    """The outcome log's totals: proposals sent, interviews, contracts, US dollars earned and
    the earnings of each month."""
    entries = outcome_entries(user=user)
    totals: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row)
        for row in entries.values("kind").annotate(
            n=Sum("count"), usd=Sum("amount_usd"), lines=Count("pk")
        )
    }
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries.filter(kind=OutcomeKind.EARNING):
        by_month[entry.happened_on.strftime("%Y-%m")] += entry.amount_usd or Decimal(0)

    def total(kind: str, name: str) -> Any:
        return (totals.get(kind) or {}).get(name)

    return {
        "entries": entries[:100],
        "proposals_sent": total(OutcomeKind.PROPOSALS, "n") or 0,
        "interviews": total(OutcomeKind.INTERVIEW, "lines") or 0,
        "contracts": total(OutcomeKind.CONTRACT, "lines") or 0,
        "earned": total(OutcomeKind.EARNING, "usd") or Decimal(0),
        "by_month": sorted(by_month.items()),
    }


def item_skill_choices(*, user: User, item_skills: list[str]) -> list[tuple[str, str]]:
    """The skills an item may be tagged with: the person's own assessed skills, their chosen
    pathway's skills, and whatever the item already carries, so that editing never drops a tag
    silently."""
    choices: dict[str, str] = {}
    result = profiling.latest_result(user=user)
    if result is not None:
        for claim in profiling.claims(assessment=result.assessment).order_by("label"):
            choices[claim.skill_id] = claim.label
        if result.chosen_pathway:
            chosen = pathway_get(result.chosen_pathway)
            for ref in (*chosen.essential_skills, *chosen.optional_skills):
                choices.setdefault(ref.id, ref.label)
    for skill_id in item_skills:
        try:
            choices.setdefault(skill_id, taxonomy().skill(skill_id).label)
        except KeyError:
            continue
    return sorted(choices.items(), key=lambda pair: pair[1].casefold())


# --- what portfolios read of the accounts and the programme ------------------------------------


def engineer_profile(*, user: User) -> EngineerProfile | None:
    return accounts.engineer_profile_of(user=user)


def certificates_of(*, user: User) -> QuerySet[Certificate]:
    """The person's certificates that stand (not revoked)."""
    return programme.certificates_standing_of(user=user)


def cohort_ends_confirmed(*, since: dt.date, before: dt.date) -> Iterator[tuple[int, dt.date]]:
    """(person, the day their cohort ended) for every confirmed seat in a cohort that ended in
    [since, before), by person."""
    return programme.cohort_ends_confirmed(since=since, before=before)
