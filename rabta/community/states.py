"""The state machines of the community, declared for the core state-machine helper
(``rabta.core.states``), which is the only code that changes a status column.

Parts: ``member`` (a person answering for themselves: their RSVP), ``nominee`` (the person the
council would honour), ``applicant`` (a contributor applying to a panel), ``staff`` (council
staff who review nominations and run calls) and ``system`` (places handed on from the waiting
list).  Machine names carry the app's name, so the audit log tells a panel's call or
application from another app's.
"""

from __future__ import annotations

from rabta.core.states import Machine, transition, transition_many
from rabta.core.states import step as _t

__all__ = ["MACHINES", "Machine", "transition", "transition_many"]

RSVP = Machine(
    "community.rsvp",
    "status",
    {
        "go": _t({"cancelled"}, "going", {"member"}),
        "wait": _t({"cancelled"}, "waitlist", {"member"}),
        "cancel": _t({"going", "waitlist"}, "cancelled", {"member"}),
        # a place freed by someone who is not going goes to the first person waiting
        "promote": _t({"waitlist"}, "going", {"system"}),
    },
)

NOMINATION = Machine(
    "community.nomination",
    "status",
    {
        "accept": _t({"submitted"}, "accepted", {"staff"}),
        "decline": _t({"submitted"}, "declined", {"staff"}),
    },
)

HONOUR = Machine(
    "community.honour",
    "status",
    {
        # published only when the engineer agrees
        "publish": _t({"awaiting"}, "published", {"nominee"}, event="community.honoured"),
        "decline": _t({"awaiting"}, "declined", {"nominee"}),
        "withdraw": _t({"awaiting", "published"}, "withdrawn", {"staff"}),
    },
)

CALL = Machine(
    "community.call",
    "status",
    {
        "close": _t({"open"}, "closed", {"staff"}),
        # staff may select the panel before the closing date, which closes the call too
        "select": _t({"open", "closed"}, "selected", {"staff"}),
    },
)

PANEL_APPLICATION = Machine(
    "community.panel_application",
    "status",
    {
        "withdraw": _t({"applied"}, "withdrawn", {"applicant"}),
        "reapply": _t({"withdrawn"}, "applied", {"applicant"}),
        "select": _t({"applied"}, "selected", {"staff"}),
        "pass_over": _t({"applied"}, "not_selected", {"staff"}),
    },
)

MACHINES = (RSVP, NOMINATION, HONOUR, CALL, PANEL_APPLICATION)
