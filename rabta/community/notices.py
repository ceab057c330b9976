"""The notices the community sends (registered with core's notification service).

Defaults: forum activity (replies, new discussions, mentions) and other news wait for the
daily digest, a declined nomination for the weekly one; what a person must act on or know
before a date (a cancelled event, a place at an event, an honour to accept, a panel outcome, a
ban) is emailed at once."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rabta.core.models import Delivery
from rabta.core.notifications import NoticeKind

GROUP = _("Community: chapters, forums and panels")


def _kind(
    name: str, label: str | Promise, title: str, delivery: str = Delivery.DAILY
) -> NoticeKind:
    return NoticeKind(key=f"community.{name}", label=label, title=title, delivery=delivery)


KINDS = (
    _kind(
        "chapter_lead",
        _("You became a chapter lead"),
        gettext_noop("You are now a lead of the %(name)s chapter."),
    ),
    _kind(
        "event_cancelled",
        _("An event you are going to is cancelled"),
        gettext_noop("Cancelled: %(title)s. %(reason)s"),
        Delivery.NOW,
    ),
    _kind(
        "event_place",
        _("A place opened up at an event"),
        gettext_noop("A place opened up: you are going to %(title)s."),
        Delivery.NOW,
    ),
    _kind(
        "mention",
        _("Someone mentioned you"),
        gettext_noop("%(name)s mentioned you in “%(title)s”"),
    ),
    _kind(
        "thread",
        _("A new discussion in a forum you watch"),
        gettext_noop("New discussion: “%(title)s” by %(name)s"),
    ),
    _kind(
        "reply",
        _("A reply in a discussion you watch"),
        gettext_noop("%(name)s replied to “%(title)s”"),
    ),
    _kind(
        "post_hidden",
        _("A moderator hid your post"),
        gettext_noop("A moderator hid your post in “%(title)s”. Reason: %(reason)s"),
    ),
    _kind(
        "banned",
        _("A moderator banned you from posting"),
        gettext_noop("A moderator banned you from posting in the community. Reason: %(reason)s"),
        Delivery.NOW,
    ),
    _kind(
        "nomination_declined",
        _("A nomination was not accepted"),
        gettext_noop("The council did not accept your nomination of %(name)s this time."),
        Delivery.WEEKLY,
    ),
    _kind(
        "honour_offered",
        _("The council would like to honour you"),
        gettext_noop("The council would like to place you in the Hall of Fame. Do you agree?"),
        Delivery.NOW,
    ),
    _kind(
        "panel_selected",
        _("You are on a panel"),
        gettext_noop("You are on the panel: %(title)s. The workspace is open."),
        Delivery.NOW,
    ),
    _kind(
        "panel_not_selected",
        _("You were not selected for a panel"),
        gettext_noop("Thank you for applying to %(title)s; you were not selected this time."),
        Delivery.NOW,
    ),
    _kind(
        "call_opened",
        _("A new call for an advisory panel or a curriculum review"),
        gettext_noop("A new panel call: %(title)s. Applications close on %(closes)s."),
    ),
)
