"""The portfolio and its case studies."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import invalid
from rabta.core.services import event_record
from rabta.engine.taxonomy import taxonomy
from rabta.portfolio import selectors
from rabta.portfolio.models import Portfolio, PortfolioItem
from rabta.portfolio.services.fields import fields_assign, model_clean, pathway_valid

ITEMS_MAX = 30
ITEM_SKILLS_MAX = 12
PORTFOLIO_FIELDS = ("display_name", "headline", "summary", "published", "basic_price_usd")
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


def portfolio_ensure(*, user: User) -> Portfolio:
    portfolio = selectors.portfolio_of(user=user)
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
    fields_assign(portfolio, fields, PORTFOLIO_FIELDS)
    model_clean(portfolio)
    was_published = selectors.portfolio_published(portfolio_id=portfolio.pk)
    portfolio.save()
    if portfolio.published and not was_published:
        event_record(
            kind="portfolio.published",
            actor_id=user.pk,
            subject=portfolio,
            **engineer_dimensions(selectors.engineer_profile(user=user)),
        )
    return portfolio


def _skills_valid(skill_ids: list[str]) -> list[str]:
    known = []
    for skill_id in dict.fromkeys(skill_ids):
        try:
            taxonomy().skill(skill_id)
        except KeyError:
            raise invalid("skills", _("One of the skills is not in the list.")) from None
        known.append(skill_id)
    if len(known) > ITEM_SKILLS_MAX:
        raise invalid("skills", _("Choose at most %(n)d skills.") % {"n": ITEM_SKILLS_MAX})
    return known


def _item_new(portfolio: Portfolio) -> PortfolioItem:
    if portfolio.items.count() >= ITEMS_MAX:
        raise invalid("title", _("A portfolio holds at most %(n)d items.") % {"n": ITEMS_MAX})
    position = (portfolio.items.aggregate(m=Max("position"))["m"] or 0) + 1
    return PortfolioItem(portfolio=portfolio, position=position)


def item_save(*, user: User, item_id: int | None = None, **fields: Any) -> PortfolioItem:
    portfolio = portfolio_ensure(user=user)
    if item_id is None:
        item = _item_new(portfolio)
    else:
        item = selectors.item_get_for_owner(user=user, item_id=item_id)
    fields_assign(item, fields, ITEM_FIELDS)
    item.pathway = pathway_valid(item.pathway)
    item.skills = _skills_valid(list(item.skills or []))
    if item.year and item.year > timezone.localdate().year:
        raise invalid("year", _("The year cannot be in the future."))
    model_clean(item)
    item.save()
    return item


def item_delete(*, user: User, item_id: int) -> None:
    selectors.item_get_for_owner(user=user, item_id=item_id).delete()  # files: signals.py
