from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Header, Router, Status

from rabta.accounts.api import READ_ERRORS, WRITE_ERRORS
from rabta.core.http import api_user
from rabta.programme import selectors, services
from rabta.programme.models import Application
from rabta.programme.schemas import ApplicationIn, ApplicationOut, CohortOut

router = Router(tags=["programme"])


def _out(application: Application, *, with_position: bool = True) -> dict[str, Any]:
    return {
        "id": application.pk,
        "cohort_id": application.cohort_id,
        "state": application.state,
        "submitted_at": application.submitted_at,
        "offer_expires_at": application.offer_expires_at,
        "placement_reason": application.placement_reason,
        "waitlist_position": selectors.waitlist_position(application=application)
        if with_position
        else None,
    }


@router.get(
    "/programme/cohorts", response={200: list[CohortOut], **READ_ERRORS}, operation_id="cohort_list"
)
def cohort_list(request: HttpRequest) -> Any:
    return list(selectors.cohort_list_open())


@router.post(
    "/programme/cohorts/{cohort_id}/applications",
    response={200: ApplicationOut, 201: ApplicationOut, **WRITE_ERRORS},
    operation_id="application_submit",
    summary="Submit an application (idempotent)",
    description=(
        "Send an `Idempotency-Key` header (up to 64 characters, e.g. a UUID) and repeat the "
        "request with the same key after a timeout or a dropped connection: the answer is the "
        "same application, never a second one. 201 means created, 200 means already submitted. "
        "The live waitlist position is on GET /programme/applications/{id}."
    ),
)
def application_submit(
    request: HttpRequest,
    cohort_id: int,
    payload: ApplicationIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> Any:
    application, created = services.application_submit(
        user=api_user(request),
        cohort_id=cohort_id,
        data=payload.model_dump(),
        idempotency_key=idempotency_key,
    )
    return Status(201 if created else 200, _out(application, with_position=False))


@router.get(
    "/programme/applications/{application_id}",
    response={200: ApplicationOut, **READ_ERRORS},
    operation_id="application_get",
)
def application_get(request: HttpRequest, application_id: int) -> Any:
    return _out(
        selectors.application_get_for_user(user=api_user(request), application_id=application_id)
    )


@router.post(
    "/programme/applications/{application_id}/confirm",
    response={200: ApplicationOut, **WRITE_ERRORS},
    operation_id="offer_confirm",
)
def offer_confirm(request: HttpRequest, application_id: int) -> Any:
    return _out(
        services.offer_respond(user=api_user(request), application_id=application_id, accept=True)
    )


@router.post(
    "/programme/applications/{application_id}/decline",
    response={200: ApplicationOut, **WRITE_ERRORS},
    operation_id="offer_decline",
)
def offer_decline(request: HttpRequest, application_id: int) -> Any:
    return _out(
        services.offer_respond(user=api_user(request), application_id=application_id, accept=False)
    )


@router.post(
    "/programme/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **WRITE_ERRORS},
    operation_id="application_withdraw",
)
def application_withdraw(request: HttpRequest, application_id: int) -> Any:
    return _out(
        services.application_withdraw(user=api_user(request), application_id=application_id)
    )
