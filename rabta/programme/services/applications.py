"""Applications: who may apply, drafts, submission (with the first-come seat claim) and
withdrawal.  Every state change goes through the programme's state machine, which audits it
and records its domain event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rabta.accounts.models import EngineerProfile, User, VerificationState
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.locking import capacity_release, capacity_try_claim
from rabta.core.services import fields_allowed, validate
from rabta.core.tasks import task_enqueue
from rabta.programme import states
from rabta.programme.events import application_dimensions
from rabta.programme.models import (
    HOLDS_SEAT,
    AllocationPolicy,
    Application,
    ApplicationState,
    Cohort,
)
from rabta.programme.services.offers import application_lock_for_user, waitlist_promote
from rabta.programme.tasks import application_notify

APPLICATION_FIELDS = ("motivation", "hours_per_week", "employment", "consent")
IDEMPOTENCY_KEY_MAX = 64
# What a submission copies onto the application, besides the answers.
SUBMISSION_FIELDS = (
    *APPLICATION_FIELDS,
    "idempotency_key",
    "submitted_at",
    "province",
    "gender",
    "early_career",
    "district",
    "discipline",
)


# --- eligibility -------------------------------------------------------------------------------


_UNSET: Any = object()


def eligibility_reasons(
    *,
    user: User,
    cohort: Cohort,
    now: datetime | None = None,
    profile: EngineerProfile | None = _UNSET,
) -> list[str]:
    """Why ``user`` may not apply to ``cohort`` now; an empty list means they may.  Pass the
    engineer profile when it is already loaded (None when there is none)."""
    now = now or timezone.now()
    reasons: list[str] = []
    if now < cohort.applications_open_at:
        reasons.append(
            _("Applications open on %(when)s.")
            % {"when": date_format(timezone.localtime(cohort.applications_open_at), "j F Y, H:i T")}
        )
    elif now >= cohort.applications_close_at:
        reasons.append(_("Applications for this cohort have closed."))
    if profile is _UNSET:
        profile = EngineerProfile.objects.filter(user=user).first()
    reason = _profile_reason(profile, cohort)
    if reason:
        reasons.append(reason)
    return reasons


def _profile_reason(profile: EngineerProfile | None, cohort: Cohort) -> str:
    if profile is None:
        return _("Complete your engineer profile with your PEC registration number.")
    if profile.verification_state == VerificationState.REJECTED:
        return _("Your PEC number was not verified: %(reason)s") % {
            "reason": profile.rejection_reason
        }
    if profile.verification_state == VerificationState.PENDING and not cohort.accept_pending_pec:
        return _("This cohort needs a verified PEC number; yours is still under review.")
    if profile.verification_state == VerificationState.UNVERIFIED:
        return _("Save your engineer profile so that your PEC number can be verified.")
    return ""


# --- drafts and submission -----------------------------------------------------------------------


def _clean_answers(data: Mapping[str, Any]) -> dict[str, Any]:
    return fields_allowed(data, APPLICATION_FIELDS)


def application_draft_save(*, user: User, cohort: Cohort, data: Mapping[str, Any]) -> Application:
    """Keep what the applicant has typed so far, on the server.  Submitted applications are
    never changed by a draft save."""
    answers = _clean_answers(data)
    with transaction.atomic():
        application, _created = Application.objects.select_for_update().get_or_create(
            cohort=cohort, user=user
        )
        if application.state != ApplicationState.DRAFT:
            return application
        for name, value in answers.items():
            setattr(application, name, value)
        validate(
            application,
            exclude=["cohort", "user"],
            validate_unique=False,
            validate_constraints=False,
        )
        application.save()
    return application


def _require_answers(application: Application) -> None:
    errors: dict[str, list[str]] = {}
    if not (application.motivation or "").strip():
        errors["motivation"] = [_("Tell us in a few lines what you hope to gain.")]
    if not application.hours_per_week:
        errors["hours_per_week"] = [_("How many hours a week can you give?")]
    if not application.employment:
        errors["employment"] = [_("Choose the option closest to your situation.")]
    if not application.consent:
        errors["consent"] = [_("Your consent is needed to take part.")]
    try:
        application.full_clean(
            exclude=["cohort", "user"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=errors
        )


def _checked_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The idempotency key is too long."),
            fields={"idempotency_key": [_("64 characters at most.")]},
        )
    return key


def _own_or_keyed(user: User, cohort: Cohort, idempotency_key: str) -> Application | None:
    """The caller's application to ``cohort``; a key already used by someone else refuses."""
    mine_or_key = (
        Q(user=user) | Q(idempotency_key=idempotency_key) if idempotency_key else Q(user=user)
    )
    existing = list(Application.objects.filter(mine_or_key, cohort=cohort))
    for other in existing:
        if other.user_id != user.pk:
            raise DomainError(ErrorCode.CONFLICT, _("That idempotency key is already used."))
    return existing[0] if existing else None


def _prepared(
    user: User,
    cohort: Cohort,
    mine: Application | None,
    answers: dict[str, Any],
    idempotency_key: str,
    now: datetime,
) -> Application:
    """The application as it will be submitted: eligible, answered, with its dimensions."""
    profile = EngineerProfile.objects.filter(user=user).first()
    reasons = eligibility_reasons(user=user, cohort=cohort, now=now, profile=profile)
    if reasons:
        raise DomainError(ErrorCode.NOT_ELIGIBLE, " ".join(reasons), fields={"__all__": reasons})
    assert profile is not None  # eligibility requires a profile
    application = mine or Application(cohort=cohort, user=user)
    application.cohort = cohort  # a saved draft: its dimensions read the cohort already loaded
    for name, value in answers.items():
        setattr(application, name, value)
    _require_answers(application)
    application.idempotency_key = idempotency_key
    application.submitted_at = now
    application.province = profile.province
    application.gender = profile.gender
    application.early_career = profile.years_experience <= cohort.early_career_max_years
    application.district, application.discipline = profile.district, profile.discipline
    return application


def application_submit(
    *,
    user: User,
    cohort_id: int,
    data: Mapping[str, Any],
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[Application, bool]:
    """Submit an application; returns (application, created).

    Idempotent: a double click, a retry after a dropped connection, or the same idempotency key
    replayed returns the application already submitted, unchanged.  Under first come, first
    served, the seat is claimed in the same transaction that writes the application, so a seat
    is never granted without its row, nor a row left without its answer.

    This is the hot path of a registration rush, so it reads what it needs in as few queries
    as it can: the cohort, the caller's application (or the one with the same key), the
    profile; then one transaction that writes, claims and records.
    """
    now = now or timezone.now()
    idempotency_key = _checked_key(idempotency_key)
    answers = _clean_answers(data)
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    mine = _own_or_keyed(user, cohort, idempotency_key)
    if mine is not None and mine.state != ApplicationState.DRAFT:
        return mine, False
    application = _prepared(user, cohort, mine, answers, idempotency_key, now)
    try:
        with transaction.atomic():
            earlier = _submitted_meanwhile(mine)
            if earlier is not None:
                return earlier, False
            if cohort.policy == AllocationPolicy.FIRST_COME:
                _place_first_come(application, cohort, user, now)
            else:
                states.transition(
                    states.APPLICATION,
                    application,
                    "submitted",
                    part="applicant",
                    actor=user,
                    fields=SUBMISSION_FIELDS,
                    dimensions=application_dimensions(application),
                )
    except IntegrityError:
        # The same person (or key) raced in through another request: answer as that one did.
        again = Application.objects.filter(cohort=cohort, user=user).first()
        if again is None or again.state == ApplicationState.DRAFT:
            raise
        return again, False
    return application, True


def _submitted_meanwhile(mine: Application | None) -> Application | None:
    """The caller's draft, locked; returned when a concurrent request submitted it first."""
    if mine is None:
        return None
    current = Application.objects.select_for_update().filter(pk=mine.pk).first()
    if current is None or current.state != ApplicationState.DRAFT:
        return current or mine
    return None


def _place_first_come(application: Application, cohort: Cohort, user: User, now: datetime) -> None:
    """Submit and, in the same step, offer a seat while seats remain, else the waitlist.
    People already waiting come first: a seat freed by a decline or an expiry goes to them
    (waitlist_promote), never to whoever happens to apply next."""
    waiting = Application.objects.filter(cohort=cohort, state=ApplicationState.WAITLISTED).exists()
    if not waiting and capacity_try_claim(Cohort, cohort.pk, used="seats_taken", cap="seats"):
        application.offer_expires_at = now + timedelta(days=cohort.offer_days)
        application.placement_reason = _("Seat offered: you applied while seats remained.")
        action = "offered"
    else:
        application.placement_reason = _(
            "All seats were taken when you applied; you are on the waitlist in order of "
            "application."
        )
        action = "waitlisted"
    states.transition(
        states.APPLICATION,
        application,
        f"submitted_{action}",
        part="applicant",
        actor=user,
        fields=(*SUBMISSION_FIELDS, "offer_expires_at", "placement_reason"),
        dimensions=application_dimensions(application),
    )
    if waiting and Cohort.objects.filter(pk=cohort.pk, seats_taken__lt=F("seats")).exists():
        waitlist_promote(cohort_id=cohort.pk, now=now)
    if application.state == ApplicationState.OFFERED:
        task_enqueue(application_notify, application.pk, "offered")


# --- withdrawal -------------------------------------------------------------------------------


def application_withdraw(
    *, user: User, application_id: int, now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        application = application_lock_for_user(user, application_id)
        if application.state in (
            ApplicationState.WITHDRAWN,
            ApplicationState.DECLINED,
            ApplicationState.EXPIRED,
        ):
            return application
        held_seat = application.state in HOLDS_SEAT
        states.transition(
            states.APPLICATION,
            application,
            "withdrawn",
            part="applicant",
            actor=user,
            dimensions=application_dimensions(application),
        )
        if held_seat:
            capacity_release(Cohort, application.cohort_id, used="seats_taken")
            waitlist_promote(cohort_id=application.cohort_id, now=now)
    return application


def seats_release_for_deleted_user(sender: Any, instance: User, **kwargs: Any) -> None:
    """An account being deleted withdraws its held seats first, so the waitlist moves up."""
    held = Application.objects.filter(user=instance, state__in=HOLDS_SEAT).values_list(
        "pk", flat=True
    )
    for application_id in list(held):
        application_withdraw(user=instance, application_id=application_id)
