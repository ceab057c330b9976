"""Navigation per role: each person sees the links for the roles they hold."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rabta.accounts.roles import Role
from rabta.core.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, Any]] = []
    if user is None or not user.is_authenticated:
        return {"nav_items": items}
    items.append((reverse("accounts:home"), _("My account")))
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    items.append(
        (reverse("core:inbox"), _("Inbox (%(n)d)") % {"n": unread} if unread else _("Inbox"))
    )
    if user.has_role(Role.ENGINEER):
        items.append((reverse("accounts:engineer_profile"), _("Engineer profile")))
    if user.has_role(Role.ENGINEER):
        items.append((reverse("programme:cohorts"), _("Freelance Initiative")))
        items.append((reverse("profiling:home"), _("Career assessment")))
        items.append((reverse("portfolio:home"), _("Portfolio")))
    if user.has_role(Role.CONTRIBUTOR):
        items.append((reverse("accounts:contributor_profile"), _("Contributor profile")))
    if (
        user.has_role(Role.CONTRIBUTOR)
        or user.has_role(Role.INSTITUTION_REP)
        or user.has_role(Role.ENGINEER)
    ):
        items.append((reverse("braingain:hub"), _("Brain Gain")))
    items.append((reverse("community:home"), _("Community")))
    if user.has_role(Role.INSTITUTION_REP):
        items.append((reverse("accounts:institution_create"), _("Institutions")))
    if user.has_perm("programme.view_application"):
        items.append((reverse("programme:staff_cohorts"), _("Cohorts")))
    if user.has_perm("braingain.run_matching_round"):
        items.append((reverse("braingain:staff_rounds"), _("Matching rounds")))
    if user.has_perm("braingain.view_programme_report"):
        items.append((reverse("braingain:staff_report"), _("Brain Gain report")))
    if user.has_perm("community.moderate_forum"):
        items.append((reverse("community:moderation"), _("Moderation")))
    if user.has_perm("insights.view_dashboard"):
        items.append((reverse("insights:home"), _("Council insights")))
    if user.has_perm("profiling.view_profiling_aggregates"):
        items.append((reverse("profiling:insights"), _("Profiling insights")))
    if user.has_perm("profiling.add_posting"):
        items.append((reverse("profiling:postings"), _("Job postings")))
    if user.has_perm("accounts.verify_pec_number"):
        items.append((reverse("accounts:verification_queue"), _("PEC verification")))
    if user.is_staff:
        items.append((reverse("admin:index"), _("Admin")))
    return {"nav_items": items}
