"""Roles are Django groups.  One person may hold several."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENGINEER = "engineer", _("Engineer")
    CONTRIBUTOR = "contributor", _("Overseas contributor")
    INSTITUTION_REP = "institution_rep", _("Institution representative")
    PROGRAMME_STAFF = "programme_staff", _("Programme staff")
    COUNCIL_ANALYST = "council_analyst", _("Council analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    MODERATOR = "moderator", _("Community moderator")


# Roles a person may choose at sign-up.  The others are granted by an administrator.
SELF_SERVICE_ROLES = (Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP)

# Roles that see other people's data or change the programme: they must use two factors.
PRIVILEGED_ROLES = frozenset({Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST, Role.ADMINISTRATOR})

PROGRAMME_STAFF_PERMISSIONS = (
    "core.view_job",
    "core.retry_job",
    "programme.view_cohort",
    "programme.add_cohort",
    "programme.change_cohort",
    "programme.view_application",
    "programme.run_allocation",
)

BRAINGAIN_STAFF_PERMISSIONS = (
    "braingain.run_matching_round",
    "braingain.view_programme_report",
)

# The council's side of the community: chapters, the Hall of Fame and panel calls.
COMMUNITY_STAFF_PERMISSIONS = (
    "community.manage_chapters",
    "community.review_nominations",
    "community.run_calls",
)
INSIGHTS_PERMISSIONS = ("insights.view_dashboard", "insights.generate_report")
PROFILING_STAFF_PERMISSIONS = (
    "profiling.view_posting",
    "profiling.add_posting",
    "profiling.view_profiling_aggregates",
)

# Model permissions each group carries (app_label.codename).  Object-level access is decided
# by the selectors; these permissions gate whole screens.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ENGINEER: (),
    Role.CONTRIBUTOR: (),
    Role.INSTITUTION_REP: (),
    Role.PROGRAMME_STAFF: (
        *PROGRAMME_STAFF_PERMISSIONS,
        "accounts.view_engineerprofile",
        "accounts.verify_pec_number",
        "accounts.import_pec_register",
        "accounts.view_contributorprofile",
        "accounts.view_institution",
        *PROFILING_STAFF_PERMISSIONS,
        *BRAINGAIN_STAFF_PERMISSIONS,
        *COMMUNITY_STAFF_PERMISSIONS,
        "insights.view_dashboard",
        "core.view_email",  # the email delivery records: subjects and errors, never bodies
    ),
    Role.COUNCIL_ANALYST: ("profiling.view_profiling_aggregates", *INSIGHTS_PERMISSIONS),
    Role.ADMINISTRATOR: (
        *PROGRAMME_STAFF_PERMISSIONS,
        "accounts.view_engineerprofile",
        "accounts.verify_pec_number",
        "accounts.import_pec_register",
        "accounts.view_contributorprofile",
        "accounts.view_institution",
        "accounts.view_user",
        "accounts.change_user",
        "core.view_auditlog",
        "core.view_email",
        *PROFILING_STAFF_PERMISSIONS,
        *BRAINGAIN_STAFF_PERMISSIONS,
        *COMMUNITY_STAFF_PERMISSIONS,
        "community.moderate_forum",
        *INSIGHTS_PERMISSIONS,
    ),
    # Moderators keep the forums civil; they see no one's personal data beyond the forums.
    Role.MODERATOR: ("community.moderate_forum",),
}
