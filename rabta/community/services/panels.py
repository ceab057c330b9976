"""Panel calls: the council opens a call for an advisory panel or a curriculum review,
contributors apply, staff select the panel, and the panel works in its workspace (documents
checked by their bytes, and comments)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, User
from rabta.accounts.roles import Role
from rabta.community import selectors
from rabta.community.documents import document_clean
from rabta.community.models import (
    Call,
    CallStatus,
    PanelApplication,
    PanelApplicationStatus,
    PanelComment,
    PanelDocument,
)
from rabta.community.services.guards import refuse_banned
from rabta.community.states import CALL, PANEL_APPLICATION, transition, transition_many
from rabta.core.batches import in_batches
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.markdown import markdown_render
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated
from rabta.core.tasks import task_enqueue

MAX_DOCUMENTS = 200


def call_open(*, actor: User, data: dict[str, Any]) -> Call:
    from rabta.community.tasks import call_announce_task

    if not selectors.runs_calls(actor):
        raise forbidden()
    if data["closes_on"] < timezone.localdate():
        raise invalid("closes_on", _("Choose a closing date from today on."))
    if data["kind"] == "curriculum_review" and not data.get("discipline"):
        raise invalid("discipline", _("A curriculum review is for one discipline."))
    call = Call(
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        body_html=markdown_render(data["body"])[0],
        discipline=data.get("discipline", ""),
        sector=data.get("sector", ""),
        seats=data["seats"],
        closes_on=data["closes_on"],
        created_by=actor,
    )
    with transaction.atomic():
        save_validated(call)
        audit_record(actor=actor, action="community.call_open", target=call)
        task_enqueue(call_announce_task, call.pk)
    return call


def call_announce(*, call_id: int) -> int:
    """Tell the contributors a newly opened call is for (those in its sector, or all of them
    when it names none), each once however often this runs.  Returns how many were told now."""
    call = Call.objects.filter(pk=call_id, status=CallStatus.OPEN).first()
    if call is None:
        return 0
    url = reverse("community:call", args=[call.pk])
    contributors = ContributorProfile.objects.filter(
        user__is_active=True, user__groups__name=Role.CONTRIBUTOR
    ).select_related("user")
    told = 0
    for profile in in_batches(contributors):
        if call.sector and call.sector not in (profile.sectors or []):
            continue
        context = {"title": call.title, "closes": call.closes_on.isoformat()}
        if notify(profile.user, "community.call_opened", call, context, url=url) is not None:
            told += 1
    return told


def call_apply(*, user: User, call: Call, statement: str) -> PanelApplication:
    refuse_banned(user)
    if not (
        user.has_role(Role.CONTRIBUTOR) and ContributorProfile.objects.filter(user=user).exists()
    ):
        raise DomainError(
            ErrorCode.NOT_ELIGIBLE,
            _("Panels are for overseas contributors: complete your contributor profile first."),
        )
    if call.status != CallStatus.OPEN or call.closes_on < timezone.localdate():
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This call is closed."))
    statement = (statement or "").strip()
    if not 40 <= len(statement) <= 5000:
        raise invalid("statement", _("Describe your expertise in 40 to 5,000 characters."))
    html = markdown_render(statement)[0]
    with transaction.atomic():
        existing = (
            PanelApplication.objects.select_for_update().filter(call=call, applicant=user).first()
        )
        if existing is not None and existing.status != PanelApplicationStatus.WITHDRAWN:
            raise DomainError(ErrorCode.CONFLICT, _("You have already applied to this call."))
        if existing is not None:
            existing.statement, existing.statement_html = statement, html
            transition(
                PANEL_APPLICATION,
                existing,
                "reapply",
                part="applicant",
                actor=user,
                fields=["statement", "statement_html"],
            )
            return existing
        return PanelApplication.objects.create(
            call=call, applicant=user, statement=statement, statement_html=html
        )


def application_withdraw(*, user: User, call: Call) -> None:
    with transaction.atomic():
        application = (
            PanelApplication.objects.select_for_update()
            .filter(call=call, applicant=user, status=PanelApplicationStatus.APPLIED)
            .first()
        )
        if application is None:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("There is no application to withdraw.")
            )
        transition(PANEL_APPLICATION, application, "withdraw", part="applicant", actor=user)


def call_close(*, actor: User, call: Call) -> None:
    if not selectors.runs_calls(actor):
        raise forbidden()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.OPEN:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This call is not open."))
        transition(CALL, call, "close", part="staff", actor=actor)


def panel_select(*, actor: User, call: Call, application_ids: list[int]) -> int:
    """Seat the chosen applicants; everyone else who applied is told they were not chosen."""
    if not selectors.runs_calls(actor):
        raise forbidden()
    chosen = set(application_ids)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status == CallStatus.SELECTED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The panel is already selected."))
        applied = _applied_choice(call, chosen)
        now = timezone.now()
        for application in applied.values():
            application.decided_at = now
        seated = [a for pk, a in applied.items() if pk in chosen]
        passed = [a for pk, a in applied.items() if pk not in chosen]
        transition_many(
            PANEL_APPLICATION, seated, "select", part="staff", actor=actor, fields=["decided_at"]
        )
        transition_many(
            PANEL_APPLICATION, passed, "pass_over", part="staff", actor=actor, fields=["decided_at"]
        )
        _panel_tell(call, seated, passed)
        call.selected_at = now
        transition(
            CALL,
            call,
            "select",
            part="staff",
            actor=actor,
            fields=["selected_at"],
            chosen=sorted(chosen),
        )
    return len(chosen)


def _applied_choice(call: Call, chosen: set[int]) -> dict[int, PanelApplication]:
    """The call's current applications by number, once the choice is among them and fits the
    seats."""
    applied = {
        a.pk: a
        for a in call.applications.filter(status=PanelApplicationStatus.APPLIED).select_related(
            "applicant"
        )
    }
    if not chosen or chosen - set(applied):
        raise invalid("applications", _("Choose among the current applications."))
    if len(chosen) > call.seats:
        raise invalid("applications", _("The panel has %(n)d seats.") % {"n": call.seats})
    return applied


def _panel_tell(call: Call, seated: list[PanelApplication], passed: list[PanelApplication]) -> None:
    """Each applicant hears the outcome; each seat counts on the dashboards."""
    url = reverse("community:call", args=[call.pk])
    for application in seated:
        notify(
            application.applicant,
            "community.panel_selected",
            application,
            {"title": call.title},
            url=url,
        )
        event_record(
            kind="community.panel_selected",
            actor_id=application.applicant_id,
            subject=call,
            sector=call.sector,
        )
    for application in passed:
        notify(
            application.applicant,
            "community.panel_not_selected",
            application,
            {"title": call.title},
            url=url,
        )


def document_add(*, user: User, call_id: int, title: str, name: str, data: bytes) -> PanelDocument:
    call = selectors.workspace_get_for_user(user=user, call_id=call_id)
    refuse_banned(user)
    title = " ".join((title or "").split())[:160]
    if len(title) < 3:
        raise invalid("title", _("Give the document a title."))
    if call.documents.count() >= MAX_DOCUMENTS:
        raise invalid("file", _("The workspace holds at most %(n)d files.") % {"n": MAX_DOCUMENTS})
    clean = document_clean(name=name, data=data)
    stored = default_storage.save(
        f"panels/{secrets.token_urlsafe(18)}{clean.extension}", ContentFile(data)
    )
    try:
        return PanelDocument.objects.create(
            call=call,
            uploaded_by=user,
            title=title,
            file=stored,
            filename=clean.filename,
            content_type=clean.content_type,
            size=len(data),
        )
    except Exception:
        default_storage.delete(stored)
        raise


def comment_add(
    *, user: User, call_id: int, body: str, document_id: int | None = None
) -> PanelComment:
    call = selectors.workspace_get_for_user(user=user, call_id=call_id)
    refuse_banned(user)
    body = (body or "").strip()
    if not 2 <= len(body) <= 5000:
        raise invalid("body", _("A comment is 2 to 5,000 characters."))
    document = None
    if document_id is not None:
        document = call.documents.filter(pk=document_id).first()
        if document is None:
            raise invalid("document", _("That document is not in this workspace."))
    return PanelComment.objects.create(
        call=call, document=document, author=user, body=body, body_html=markdown_render(body)[0]
    )
