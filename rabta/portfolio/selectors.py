"""Reads, each scoped to who is asking.  The owner sees everything of theirs; everyone else,
whatever their role, sees only what the owner made public on a published page."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from rabta.accounts.models import User
from rabta.core.errors import NotFound
from rabta.portfolio.models import (
    Attachment,
    Contract,
    OutcomeEntry,
    Portfolio,
    PortfolioItem,
    Proposal,
    Visibility,
)

SHOWN = (Visibility.PUBLIC, Visibility.REDACTED)


def _public_attachments() -> Q:
    """Files a visitor may see: those of public items, and of redacted items only the files the
    owner cleared as showing nothing confidential."""
    return Q(item__visibility=Visibility.PUBLIC) | Q(
        item__visibility=Visibility.REDACTED, cleared_for_redacted=True
    )


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
