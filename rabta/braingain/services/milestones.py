"""Milestones of an engagement: the consultant delivers, the client accepts or asks for changes,
and both record the payment (money moves outside the portal).  Either of them may plan a
meeting about a milestone, move it or cancel it; both get the calendar invite each time
(``meetings``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import selectors, states
from rabta.braingain.models import (
    Deliverable,
    EngagementStatus,
    Milestone,
    MilestoneMeeting,
    MilestoneStatus,
)
from rabta.braingain.services.meetings import (
    INVITE,
    invites_send,
    meeting_cancel,
    meeting_link_check,
    meeting_move,
    meeting_time_check,
)
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, save_validated


def _milestone_locked(user: User, milestone_id: int) -> tuple[Milestone, str]:
    milestone, part = selectors.milestone_get_for_user(user=user, milestone_id=milestone_id)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    locked.engagement = milestone.engagement
    if milestone.engagement.status != EngagementStatus.ACTIVE and part != "staff":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Milestones move once both have signed and until the engagement ends."),
        )
    return locked, part


def milestone_submit(*, user: User, milestone_id: int, note: str, link: str = "") -> Deliverable:
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        states.transition(states.MILESTONE, milestone, "submit", part=part, actor=user)
        deliverable = Deliverable(milestone=milestone, note=note.strip(), link=link.strip())
        save_validated(deliverable, exclude=["milestone"])
        if deliverable.link and not deliverable.link.lower().startswith("https://"):
            raise invalid("link", _("Share a secure (https://) link."))
        notify(
            milestone.engagement.client,
            "braingain.delivered",
            deliverable,
            {"title": milestone.title},
            url=reverse("braingain:engagement", args=[milestone.engagement_id]),
        )
    return deliverable


def milestone_review(*, user: User, milestone_id: int, accept: bool, note: str = "") -> Milestone:
    if len(note) > 4000:
        raise invalid("note", _("Keep the note under 4,000 characters."))
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        if not accept and not note.strip():
            raise invalid("note", _("Say what needs to change."))
        action = "accept" if accept else "request_changes"
        states.transition(states.MILESTONE, milestone, action, part=part, actor=user)
        latest = milestone.deliverables.order_by("-created_at", "-id").first()
        if latest is not None and note.strip():
            latest.review_note = note.strip()
            latest.save(update_fields=["review_note"])
        notify(
            milestone.engagement.consultant,
            "braingain.reviewed",
            milestone,
            {"title": milestone.title},
            url=reverse("braingain:engagement", args=[milestone.engagement_id]),
            # one notice per review: a delivery can be sent back and delivered again
            key=f"{latest.pk if latest else ''}:{action}",
        )
    return milestone


def milestone_cancel(*, user: User, milestone_id: int) -> Milestone:
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        states.transition(states.MILESTONE, milestone, "cancel", part=part, actor=user)
    return milestone


def payment_record(*, user: User, milestone_id: int, action: str, reference: str = "") -> Milestone:
    """The consultant marks a milestone invoiced; the client marks it paid (after accepting
    it).  Money moves outside the portal; this only records what the parties say."""
    if len(reference) > 100:
        raise invalid("reference", _("Keep the reference under 100 characters."))
    if action not in states.PAYMENT.transitions:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("That action does not exist."))
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        if action == "mark_paid" and milestone.status != MilestoneStatus.ACCEPTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("Mark a milestone paid once it is accepted.")
            )
        fields = []
        if reference.strip():
            milestone.payment_reference = reference.strip()
            fields.append("payment_reference")
        states.transition(
            states.PAYMENT,
            milestone,
            action,
            part=part,
            actor=user,
            fields=fields,
            reference=reference,
        )
        # the other party hears of it: the client of an invoice, the consultant of a payment
        engagement = milestone.engagement
        notify(
            engagement.client if action == "invoice" else engagement.consultant,
            "braingain.invoiced" if action == "invoice" else "braingain.paid",
            milestone,
            {"title": milestone.title},
            url=reverse("braingain:engagement", args=[milestone.engagement_id]),
        )
    return milestone


# --- meetings about a milestone --------------------------------------------------------------

PARTIES = ("client", "consultant")


def _require_party(part: str) -> None:
    if part not in PARTIES:
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the client and the consultant can do this."))


def _require_active(milestone: Milestone) -> None:
    if milestone.engagement.status != EngagementStatus.ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Meetings are planned once both have signed and until the engagement ends."),
        )


def milestone_meeting_schedule(
    *,
    user: User,
    milestone_id: int,
    starts_at: datetime,
    duration_minutes: int,
    agenda: str = "",
    meeting_url: str = "",
) -> MilestoneMeeting:
    """Plan a meeting about a milestone; the client and the consultant both get the invite."""
    meeting_time_check(starts_at)
    link = meeting_link_check(meeting_url)
    with transaction.atomic():
        milestone, part = selectors.milestone_get_for_user(user=user, milestone_id=milestone_id)
        _require_party(part)
        _require_active(milestone)
        if milestone.status == MilestoneStatus.CANCELLED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("This milestone is cancelled: plan no meetings.")
            )
        meeting = MilestoneMeeting(
            milestone=milestone,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            agenda=agenda.strip(),
            meeting_url=link.url,
            created_by=user,
        )
        save_validated(meeting, exclude=["milestone", "created_by"])
        audit_record(actor=user, action="meeting.schedule", target=meeting, part=part)
        invites_send(meeting, INVITE)
    return meeting


def _meeting_locked(user: User, meeting_id: int) -> tuple[MilestoneMeeting, str]:
    meeting, part = selectors.milestone_meeting_get_for_user(user=user, meeting_id=meeting_id)
    locked = MilestoneMeeting.objects.select_for_update().get(pk=meeting.pk)
    locked.milestone = meeting.milestone
    locked.created_by = meeting.created_by
    return locked, part


def milestone_meeting_reschedule(
    *,
    user: User,
    meeting_id: int,
    starts_at: datetime,
    duration_minutes: int,
    meeting_url: str,
    agenda: str | None = None,
) -> MilestoneMeeting:
    """Move a planned meeting (or change its link); both get the updated invite."""
    meeting_time_check(starts_at)
    link = meeting_link_check(meeting_url)
    with transaction.atomic():
        meeting, part = _meeting_locked(user, meeting_id)
        _require_party(part)
        _require_active(meeting.milestone)
        meeting_move(
            meeting,
            part=part,
            actor=user,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            meeting_url=link.url,
            agenda=agenda,
            exclude=["milestone", "created_by"],
        )
    return meeting


def milestone_meeting_cancel(*, user: User, meeting_id: int) -> MilestoneMeeting:
    """Cancel a planned meeting (also after the engagement ended); both get the
    cancellation for their calendars."""
    with transaction.atomic():
        meeting, part = _meeting_locked(user, meeting_id)
        meeting_cancel(meeting, part=part, actor=user)
    return meeting
