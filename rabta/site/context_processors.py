"""Navigation per role: each person sees the links for the roles they hold."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rabta.accounts.roles import Role
from rabta.braingain.selectors_conversations import conversation_unread_count
from rabta.core.selectors import notification_unread_count

# Staff pages, each shown to whoever holds the permission that opens it.
_STAFF_LINKS = (
    ("programme.view_application", "programme:staff_cohorts", _("Cohorts")),
    ("braingain.run_matching_round", "braingain:staff_rounds", _("Matching rounds")),
    ("braingain.view_programme_report", "braingain:staff_report", _("Brain Gain report")),
    ("braingain.view_programme_report", "braingain:staff_conversations", _("Reported messages")),
    ("community.moderate_forum", "community:moderation", _("Moderation")),
    ("insights.view_dashboard", "insights:home", _("Council insights")),
    ("profiling.view_profiling_aggregates", "profiling:insights", _("Profiling insights")),
    ("profiling.add_posting", "profiling:postings", _("Job postings")),
    ("accounts.verify_pec_number", "accounts:verification_queue", _("PEC verification")),
    ("core.view_job", "core:jobs", _("Background jobs")),
)


def _role_links(user: Any) -> list[tuple[str, Any]]:
    engineer = user.has_role(Role.ENGINEER)
    contributor = user.has_role(Role.CONTRIBUTOR)
    representative = user.has_role(Role.INSTITUTION_REP)
    items: list[tuple[str, Any]] = []
    if engineer:
        items += [
            (reverse("accounts:engineer_profile"), _("Engineer profile")),
            (reverse("programme:cohorts"), _("Freelance Initiative")),
            (reverse("profiling:home"), _("Career assessment")),
            (reverse("portfolio:home"), _("Portfolio")),
        ]
    if contributor:
        items.append((reverse("accounts:contributor_profile"), _("Contributor profile")))
    if contributor or representative or engineer:
        items.append((reverse("braingain:hub"), _("Brain Gain")))
        unread = conversation_unread_count(user=user)  # one query
        label = _("Messages (%(n)d)") % {"n": unread} if unread else _("Messages")
        items.append((reverse("braingain:conversations"), label))
    items.append((reverse("community:home"), _("Community")))
    if representative:
        items.append((reverse("accounts:institution_create"), _("Institutions")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, Any]] = []
    if user is None or not user.is_authenticated:
        return {"nav_items": items}
    items.append((reverse("accounts:home"), _("My account")))
    unread = notification_unread_count(user=user)
    items.append(
        (reverse("core:inbox"), _("Inbox (%(n)d)") % {"n": unread} if unread else _("Inbox"))
    )
    items += _role_links(user)
    items += [(reverse(url), label) for perm, url, label in _STAFF_LINKS if user.has_perm(perm)]
    if user.is_staff:
        items.append((reverse("admin:index"), _("Admin")))
    return {"nav_items": items}
