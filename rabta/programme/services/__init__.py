"""Writes for the programme, one module per domain noun; the package re-exports the public
services so that callers write ``from rabta.programme import services``.

* ``applications``: eligibility, drafts, submission (the first-come seat claim), withdrawal
* ``offers``: confirming and declining, expiry, the waitlist
* ``allocation``: the fair allocation
* ``cohorts``: what staff set on a cohort
* ``sessions``: the timetable, participant groups, join links, calendars
* ``attendance``: webinar report imports, outage excuses
* ``recovery``: what staff set up for outages per session (recording, alternatives, the check)
* ``certificates``: issuance, revocation, the PDF

Every state change goes through the programme's state machines (``rabta.programme.states``).
"""

from rabta.programme.services.allocation import allocation_run, allocation_start
from rabta.programme.services.applications import (
    APPLICATION_FIELDS,
    application_draft_save,
    application_submit,
    application_withdraw,
    eligibility_reasons,
    seats_release_for_deleted_user,
)
from rabta.programme.services.attendance import (
    IMPORT_MAX_BYTES,
    attendance_import,
    attended_days,
    excuse_report,
    excuse_review,
)
from rabta.programme.services.certificates import (
    certificate_code,
    certificate_pdf,
    certificate_revoke,
    certificates_issue,
    certificates_issue_later,
    verification_url,
)
from rabta.programme.services.cohorts import COHORT_FIELDS, cohort_save
from rabta.programme.services.offers import offer_respond, offers_expire, waitlist_promote
from rabta.programme.services.recovery import check_questions_clean, session_recovery_set
from rabta.programme.services.sessions import (
    calendar_feed_token,
    calendar_ics,
    groups_assign,
    join_link_set,
    timetable_create,
)

__all__ = [
    "APPLICATION_FIELDS",
    "COHORT_FIELDS",
    "IMPORT_MAX_BYTES",
    "allocation_run",
    "allocation_start",
    "application_draft_save",
    "application_submit",
    "application_withdraw",
    "attendance_import",
    "attended_days",
    "calendar_feed_token",
    "calendar_ics",
    "certificate_code",
    "certificate_pdf",
    "certificate_revoke",
    "certificates_issue",
    "certificates_issue_later",
    "check_questions_clean",
    "cohort_save",
    "eligibility_reasons",
    "excuse_report",
    "excuse_review",
    "groups_assign",
    "join_link_set",
    "offer_respond",
    "offers_expire",
    "seats_release_for_deleted_user",
    "session_recovery_set",
    "timetable_create",
    "verification_url",
    "waitlist_promote",
]
