"""The programme's pages, one module per audience: applicants, staff running applications,
and the live week (sessions, attendance, certificates)."""

from rabta.programme.views.applicants import application, cohort_list, my_cohorts
from rabta.programme.views.delivery import (
    calendar_download,
    calendar_feed,
    certificate_download,
    certificate_verify,
    excuse,
    staff_sessions,
)
from rabta.programme.views.outage import staff_session
from rabta.programme.views.staff import (
    staff_allocation,
    staff_applicants,
    staff_cohort,
    staff_cohorts,
    staff_expire_offers,
)

__all__ = [
    "application",
    "calendar_download",
    "calendar_feed",
    "certificate_download",
    "certificate_verify",
    "cohort_list",
    "excuse",
    "my_cohorts",
    "staff_allocation",
    "staff_applicants",
    "staff_cohort",
    "staff_cohorts",
    "staff_expire_offers",
    "staff_session",
    "staff_sessions",
]
