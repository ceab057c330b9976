"""What every community write checks first: that the person is not banned, and that a
moderator or a lead who acts on someone gives them a reason."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.community import selectors
from rabta.core.errors import forbidden, invalid


def refuse_banned(user: User) -> None:
    ban = selectors.active_ban(user)
    if ban is not None:
        until = (
            _("until %(date)s") % {"date": timezone.localtime(ban.until).date()}
            if ban.until
            else _("until a moderator lifts it")
        )
        raise forbidden(
            _("You are banned from the community %(until)s. Reason: %(reason)s")
            % {"until": until, "reason": ban.reason}
        )


def reason_clean(reason: str) -> str:
    """A reason the person affected will read: 3 to 300 characters, on one line."""
    reason = " ".join((reason or "").split())[:300]
    if len(reason) < 3:
        raise invalid("reason", _("Give a reason; the person affected will read it."))
    return reason
