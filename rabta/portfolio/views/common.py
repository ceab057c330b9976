"""What the portfolio pages share."""

from __future__ import annotations

from django.http import HttpRequest

from rabta.accounts.models import User
from rabta.core.http import request_user
from rabta.engine.pathways import Pathway
from rabta.engine.pathways import pathway as pathway_get
from rabta.portfolio import services
from rabta.portfolio.models import Portfolio


def owner(request: HttpRequest) -> User:
    user: User = request_user(request)
    return user


def own_portfolio(request: HttpRequest) -> Portfolio:
    """The signed-in person's portfolio, made on their first visit."""
    return services.portfolio_ensure(user=owner(request))


def pathway_from(request: HttpRequest) -> Pathway | None:
    """The pathway the page was asked about (``?pathway=``), if it is one of the catalogue's."""
    slug = request.GET.get("pathway", "")
    if not slug:
        return None
    try:
        return pathway_get(slug)
    except KeyError:
        return None
