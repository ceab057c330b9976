"""The notices the portfolio sends (registered with core's notification service)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rabta.core.notifications import NoticeKind

GROUP = _("Portfolio and outcomes")

KINDS = (
    # three in all (30, 60 and 90 days), each asking for two minutes: at once
    NoticeKind(
        key="outcome.reminder",
        label=_("How your freelancing is going (30, 60 and 90 days after a cohort)"),
        title=gettext_noop("%(n)d days since your cohort ended: how is it going?"),
        body=gettext_noop(
            "Tell us about proposals, interviews, contracts and payments. Two minutes of "
            "your time shows the council what works."
        ),
    ),
)
