"""The notices the Brain Gain Portal sends (registered with core's notification service).
Each title is formatted with the ask's or milestone's title.

Defaults: what someone must answer or act on (a request waiting, its reminder, an outcome, an
agreement to sign, a milestone, a payment) is emailed at once; new proposals and a finished
mentorship wait for the daily digest.  A contributor is always told of a request waiting for
them and reminded a day before it lapses, whatever their digest choice.  A new message in a
conversation is told at once, but only once per unread burst."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rabta.core.models import Delivery
from rabta.core.notifications import NoticeKind

GROUP = _("Brain Gain: requests, mentorships and projects")


def _kind(
    name: str,
    label: Any,
    title: str,
    delivery: str = Delivery.NOW,
    *,
    always: bool = False,
    body: str = "",
) -> NoticeKind:
    return NoticeKind(
        key=f"braingain.{name}",
        label=label,
        title=title,
        body=body,
        delivery=delivery,
        always=always,
    )


KINDS: tuple[NoticeKind, ...] = (
    _kind(
        "request",
        _("A new request for you"),
        gettext_noop("New request: %(title)s"),
        always=True,
    ),
    _kind(
        "declined",
        _("A contributor could not take on your ask"),
        gettext_noop("A contributor could not take on: %(title)s"),
    ),
    _kind(
        "accepted",
        _("A contributor accepted"),
        gettext_noop("Accepted: %(title)s. Agree the terms together."),
    ),
    _kind(
        "no_one_left",
        _("Nobody else is available for an ask"),
        gettext_noop("Nobody else is available for: %(title)s. Programme staff can help."),
    ),
    _kind(
        "reminder",
        _("A request waits for your answer"),
        gettext_noop("A request waits for your answer by tomorrow: %(title)s"),
        always=True,
    ),
    _kind(
        "agreed", _("An agreement is signed"), gettext_noop("The agreement is signed: %(title)s")
    ),
    _kind(
        "sign",
        _("An agreement waits for your signature"),
        gettext_noop("Please read and sign the agreement: %(title)s"),
    ),
    _kind("session", _("A session is planned"), gettext_noop("A session is planned: %(title)s")),
    _kind("ended", _("A mentorship ended early"), gettext_noop("Ended early: %(title)s")),
    _kind(
        "completed",
        _("A mentorship is completed"),
        gettext_noop("Completed: %(title)s. Thank you."),
        Delivery.DAILY,
    ),
    _kind(
        "proposal",
        _("A new proposal"),
        gettext_noop("New proposal for: %(title)s"),
        Delivery.DAILY,
    ),
    _kind(
        "awarded",
        _("Your proposal was chosen"),
        gettext_noop("Your proposal was chosen: %(title)s. Sign the contract."),
    ),
    _kind(
        "delivered",
        _("A milestone is delivered for review"),
        gettext_noop("Delivered for review: %(title)s"),
    ),
    _kind("reviewed", _("A milestone was reviewed"), gettext_noop("Reviewed: %(title)s")),
    _kind(
        "invoiced",
        _("A consultant invoiced a milestone"),
        gettext_noop("Invoiced: %(title)s. Pay it as agreed, then mark it paid."),
    ),
    _kind(
        "paid",
        _("A client marked a milestone paid"),
        gettext_noop("Marked paid: %(title)s"),
    ),
    # one notice per unread burst (services/conversations.py), with a short plain preview
    _kind(
        "message",
        _("A new message from someone you work with"),
        gettext_noop("New message: %(title)s"),
        body=gettext_noop("%(name)s: %(preview)s"),
    ),
)

# Meetings (services/meetings.py): the text names the time in the reader's own zone, so these
# are rendered from templates; an invite, a change and a cancellation carry the calendar file,
# which a digest cannot, so they are always emailed at once (a person may still turn email off).
MEETING_KINDS = tuple(
    NoticeKind(
        key=f"braingain.{name}",
        label=label,
        template=f"braingain/email/{name}",
        always=always,
    )
    for name, label, always in (
        ("meeting_invite", _("A meeting is planned, with its calendar invite"), True),
        ("meeting_changed", _("A meeting moved or its link changed"), True),
        ("meeting_cancelled", _("A meeting is cancelled"), True),
        ("meeting_reminder", _("A meeting is coming up"), False),
    )
)
KINDS = (*KINDS, *MEETING_KINDS)
