"""Writes for the Brain Gain portal, one module per domain noun:

* ``pool``: the cached contributor pool and the suggestions drawn from it;
* ``asks``: posting and closing asks;
* ``requests``: sending, answering, expiring and moving requests on;
* ``mentorships``: the agreement, the fit check, hours, the end and the certificate of
  contribution; ``sessions``: sessions and their feedback;
* ``consultancy``: proposals, the award, engagements and ratings; ``milestones``: deliveries,
  reviews, payments and meetings about a milestone;
* ``meetings``: what sessions and milestone meetings share: the link check, the invites,
  the reminders and each person's calendar feed;
* ``rounds``: staff matching rounds (the engine solves them);
* ``capacity``: contributors' places; ``profile``: a contributor's skills;
* ``conversations``: the private thread of each match, its messages, read receipts and reports.

Protection of contributors' time is built in here, not in the pages: a seeker has at most
``MAX_PENDING`` requests waiting at a time, and an ask one; a contributor answers within
``RESPONSE_DAYS``; places are taken and given back with ``rabta.core.locking``; every status
change goes through ``states.transition``, which checks the actor's part and writes the audit
log.  Everything callers use is importable from here (``services.ask_post(...)``).
"""

from rabta.braingain.services.asks import ASK_FIELDS, ask_close, ask_post
from rabta.braingain.services.consultancy import (
    CONTRACT_TEMPLATE,
    engagement_cancel,
    engagement_complete,
    engagement_sign,
    proposal_award,
    proposal_submit,
    proposal_withdraw,
    rating_leave,
)
from rabta.braingain.services.conversations import (
    MESSAGE_LINKS,
    conversation_for_match,
    conversation_open,
    conversation_read,
    message_report,
    message_send,
    report_resolve,
)
from rabta.braingain.services.meetings import (
    MeetingLink,
    calendar_feed_reset,
    calendar_feed_token,
    meeting_link_check,
    meeting_service,
    meetings_remind,
)
from rabta.braingain.services.mentorships import (
    FIT_CHECK_DAYS,
    fit_check_answer,
    mentorship_agreement_update,
    mentorship_complete,
    mentorship_end,
    mentorship_sign,
    time_log,
)
from rabta.braingain.services.milestones import (
    milestone_cancel,
    milestone_meeting_cancel,
    milestone_meeting_reschedule,
    milestone_meeting_schedule,
    milestone_review,
    milestone_submit,
    payment_record,
)
from rabta.braingain.services.pool import (
    CANDIDATE_FACTOR,
    POOL_SECONDS,
    contributor_pool,
    pool_invalidate,
    suggestions,
)
from rabta.braingain.services.profile import contributor_skills_set
from rabta.braingain.services.requests import (
    MAX_PENDING,
    REMIND_BEFORE,
    RESPONSE_DAYS,
    request_advance,
    request_respond,
    request_send,
    request_withdraw,
    requests_expire,
)
from rabta.braingain.services.rounds import (
    ROUND_CANDIDATES,
    round_constraint_remove,
    round_constraint_set,
    round_create,
    round_publish,
    round_solve,
)
from rabta.braingain.services.sessions import (
    feedback_leave,
    session_cancel,
    session_hold,
    session_reschedule,
    session_schedule,
)

__all__ = [
    "ASK_FIELDS",
    "CANDIDATE_FACTOR",
    "CONTRACT_TEMPLATE",
    "FIT_CHECK_DAYS",
    "MAX_PENDING",
    "MESSAGE_LINKS",
    "POOL_SECONDS",
    "REMIND_BEFORE",
    "RESPONSE_DAYS",
    "ROUND_CANDIDATES",
    "MeetingLink",
    "ask_close",
    "ask_post",
    "calendar_feed_reset",
    "calendar_feed_token",
    "contributor_pool",
    "contributor_skills_set",
    "conversation_for_match",
    "conversation_open",
    "conversation_read",
    "engagement_cancel",
    "engagement_complete",
    "engagement_sign",
    "feedback_leave",
    "fit_check_answer",
    "mentorship_agreement_update",
    "mentorship_complete",
    "mentorship_end",
    "mentorship_sign",
    "message_report",
    "message_send",
    "meeting_link_check",
    "meeting_service",
    "meetings_remind",
    "milestone_cancel",
    "milestone_meeting_cancel",
    "milestone_meeting_reschedule",
    "milestone_meeting_schedule",
    "milestone_review",
    "milestone_submit",
    "payment_record",
    "pool_invalidate",
    "proposal_award",
    "proposal_submit",
    "proposal_withdraw",
    "rating_leave",
    "report_resolve",
    "request_advance",
    "request_respond",
    "request_send",
    "request_withdraw",
    "requests_expire",
    "round_constraint_remove",
    "round_constraint_set",
    "round_create",
    "round_publish",
    "round_solve",
    "session_cancel",
    "session_hold",
    "session_reschedule",
    "session_schedule",
    "suggestions",
    "time_log",
]
