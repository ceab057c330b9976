"""The notices about a person's own account (registered with core's notification service)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rabta.core.notifications import NoticeKind

GROUP = _("Your account")

KINDS = (
    NoticeKind(
        key="accounts.verified",
        label=_("Your PEC number is verified"),
        title=gettext_noop("Your PEC number %(number)s is verified."),
        body=gettext_noop("You can now apply for a seat in the Freelance Initiative."),
    ),
    NoticeKind(
        key="accounts.rejected",
        label=_("Your PEC number could not be verified"),
        title=gettext_noop("Your PEC number %(number)s could not be verified."),
        body=gettext_noop("Reason: %(reason)s. Correct your profile and save it to ask again."),
    ),
)
