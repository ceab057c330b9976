"""The zone a page's times are shown in, named for the layout: ``{% load reader_zone %}`` then
``{% reader_zone as shown %}`` gives its name, a label (``Pakistan time`` for Pakistan's), its
abbreviation now (PKT, GMT, EDT ...), and whether to offer the device's zone.

The zone itself is the active one (``ReaderZoneMiddleware``), so the layout names exactly the
clock that every ``|date`` on the page used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from rabta.accounts.middleware import ZONE_COOKIE, ZONE_OFFER_COOKIE

register = template.Library()

PAKISTAN = "Asia/Karachi"


@dataclass(frozen=True)
class ShownZone:
    name: str  # the IANA name, e.g. Europe/London
    label: str  # how a sentence names it: "Pakistan time", else the IANA name
    abbreviation: str  # at this moment: PKT, GMT or BST, EST or EDT ...
    offer: bool  # a signed-in person who has not chosen a zone, nor said no to the offer
    remember: bool  # a visitor whose device zone is not remembered yet


@register.simple_tag(takes_context=True)
def reader_zone(context: Any) -> ShownZone:
    name = timezone.get_current_timezone_name()
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    cookies = getattr(request, "COOKIES", {})
    return ShownZone(
        name=name,
        label=_("Pakistan time") if name == PAKISTAN else name,
        abbreviation=dateformat.format(timezone.localtime(), "T"),
        offer=signed_in
        and not getattr(user, "time_zone", "")
        and not cookies.get(ZONE_OFFER_COOKIE),
        remember=request is not None and not signed_in and not cookies.get(ZONE_COOKIE),
    )
