"""Reads for panel calls.  Calls are open to everyone signed in; a panel's workspace (its
documents and comments) to the panel and the council staff who run calls."""

from __future__ import annotations

from django.db.models import QuerySet

from rabta.accounts.models import User
from rabta.community.models import (
    Call,
    PanelApplication,
    PanelApplicationStatus,
    PanelComment,
    PanelDocument,
)
from rabta.community.selectors.access import runs_calls
from rabta.core.errors import NotFound


def calls_list(*, limit: int = 100) -> list[Call]:
    """The latest calls, open or not (anyone signed in reads them)."""
    return list(Call.objects.all()[:limit])


def call_get(*, call_id: int) -> Call:
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound()
    return call


def application_of(*, user: User, call: Call) -> PanelApplication | None:
    return PanelApplication.objects.filter(call=call, applicant=user).first()


def on_panel(*, user: User, call: Call) -> bool:
    return PanelApplication.objects.filter(
        call=call, applicant=user, status=PanelApplicationStatus.SELECTED
    ).exists()


def workspace_get_for_user(*, user: User, call_id: int) -> Call:
    """The panel's workspace: its selected members and the council staff who run calls."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not (runs_calls(user) or on_panel(user=user, call=call)):
        raise NotFound()
    return call


def workspace_documents(*, call: Call) -> list[PanelDocument]:
    return list(call.documents.select_related("uploaded_by"))


def workspace_comments(*, call: Call) -> list[PanelComment]:
    return list(call.comments.select_related("author", "document"))


def document_get_for_user(*, user: User, document_id: int) -> PanelDocument:
    document = PanelDocument.objects.select_related("call").filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    workspace_get_for_user(user=user, call_id=document.call_id)
    return document


def panel_members(*, call: Call) -> QuerySet[PanelApplication]:
    return call.applications.filter(status=PanelApplicationStatus.SELECTED).select_related(
        "applicant", "applicant__contributor_profile"
    )


def call_applications(*, call: Call) -> QuerySet[PanelApplication]:
    """Every application to a call, for the staff who select the panel."""
    return call.applications.select_related("applicant", "applicant__contributor_profile")
