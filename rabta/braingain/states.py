"""The state machines of the Brain Gain Portal, declared for the core state-machine helper
(``rabta.core.states``), which is the only code that changes a status column.

Parts: ``seeker`` (who posted the ask, or a member of its institution), ``contributor`` (the
person asked), ``mentor`` / ``mentee``, ``client`` / ``consultant``, ``staff`` (also who runs a
matching round), and ``system`` (scheduled jobs: deadlines).
"""

from __future__ import annotations

from rabta.core.states import Machine, transition
from rabta.core.states import step as _t

__all__ = ["MACHINES", "Machine", "transition"]

REQUEST = Machine(
    "request",
    "status",
    {
        "accept": _t({"pending"}, "accepted", {"contributor"}),
        "decline": _t({"pending"}, "declined", {"contributor"}),
        "withdraw": _t({"pending"}, "withdrawn", {"seeker", "staff"}),
        "expire": _t({"pending"}, "expired", {"system"}),
    },
)

ASK = Machine(
    "ask",
    "status",
    {
        "match": _t({"open"}, "matched", {"contributor", "client", "system"}),
        "reopen": _t({"matched"}, "open", {"mentor", "mentee", "staff", "system"}),
        "close": _t({"open", "matched"}, "closed", {"seeker", "staff", "system"}),
    },
)

MENTORSHIP = Machine(
    "mentorship",
    "status",
    {
        # the second signature makes the agreement: see services.mentorships.mentorship_sign
        "agree": _t({"agreeing"}, "active", {"mentor", "mentee"}),
        "complete": _t({"active"}, "completed", {"mentor", "mentee"}),
        "end": _t({"agreeing", "active"}, "ended", {"mentor", "mentee", "staff"}),
    },
)

SESSION = Machine(
    "session",
    "status",
    {
        "hold": _t({"planned"}, "held", {"mentor"}),
        # a new time, length or link: the invite's sequence goes up (services.sessions)
        "reschedule": _t({"planned"}, "planned", {"mentor", "mentee"}),
        # "system": the mentorship ended with sessions still planned
        "cancel": _t({"planned"}, "cancelled", {"mentor", "mentee", "system"}),
    },
)

# a call between client and consultant about a milestone (services.milestones)
MEETING = Machine(
    "meeting",
    "status",
    {
        "reschedule": _t({"planned"}, "planned", {"client", "consultant"}),
        "cancel": _t({"planned"}, "cancelled", {"client", "consultant", "system"}),
    },
)

PROPOSAL = Machine(
    "proposal",
    "status",
    {
        "withdraw": _t({"submitted"}, "withdrawn", {"consultant"}),
        "award": _t({"submitted"}, "awarded", {"client"}),
        "pass_over": _t({"submitted"}, "not_selected", {"client", "system"}),
    },
)

ENGAGEMENT = Machine(
    "engagement",
    "status",
    {
        # the second signature starts the work: see services.consultancy.engagement_sign
        "start": _t({"contracting"}, "active", {"client", "consultant"}),
        "complete": _t({"active"}, "completed", {"client"}),
        "cancel": _t({"contracting", "active"}, "cancelled", {"client", "consultant", "staff"}),
    },
)

MILESTONE = Machine(
    "milestone",
    "status",
    {
        "submit": _t({"open", "revision"}, "submitted", {"consultant"}),
        "accept": _t({"submitted"}, "accepted", {"client"}),
        "request_changes": _t({"submitted"}, "revision", {"client"}),
        "cancel": _t({"open", "revision"}, "cancelled", {"client", "staff"}),
    },
)

PAYMENT = Machine(
    "payment",
    "payment_status",
    {
        "invoice": _t({"unpaid"}, "invoiced", {"consultant"}),
        "mark_paid": _t({"unpaid", "invoiced"}, "paid", {"client"}),
    },
)

ROUND = Machine(
    "round",
    "status",
    {
        # solving again replaces the assignment, until the round is published
        "solve": _t({"draft", "solved"}, "solved", {"staff"}),
        "publish": _t({"solved"}, "published", {"staff"}),
    },
)

MACHINES = (
    REQUEST,
    ASK,
    MENTORSHIP,
    SESSION,
    MEETING,
    PROPOSAL,
    ENGAGEMENT,
    MILESTONE,
    PAYMENT,
    ROUND,
)
