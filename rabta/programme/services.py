"""Writes for the programme: applications, the two allocation policies, offers and the
waitlist.  Every state change is audited and records its domain event in the same
transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import EngineerProfile, User, VerificationState
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.locking import capacity_release, capacity_try_claim
from rabta.core.models import Event
from rabta.core.services import audit_record
from rabta.core.tasks import task_enqueue
from rabta.engine.allocation import Candidate, Targets, allocate
from rabta.programme.events import application_event
from rabta.programme.models import (
    COHORT_EDITABLE,
    HOLDS_SEAT,
    AllocationPolicy,
    AllocationRun,
    Application,
    ApplicationState,
    Cohort,
)
from rabta.programme.tasks import application_notify

APPLICATION_FIELDS = ("motivation", "hours_per_week", "employment", "consent")
IDEMPOTENCY_KEY_MAX = 64


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
            % {"when": timezone.localtime(cohort.applications_open_at).strftime("%d %B %Y, %H:%M")}
        )
    elif now >= cohort.applications_close_at:
        reasons.append(_("Applications for this cohort have closed."))
    if profile is _UNSET:
        profile = EngineerProfile.objects.filter(user=user).first()
    if profile is None:
        reasons.append(_("Complete your engineer profile with your PEC registration number."))
    elif profile.verification_state == VerificationState.REJECTED:
        reasons.append(
            _("Your PEC number was not verified: %(reason)s") % {"reason": profile.rejection_reason}
        )
    elif profile.verification_state == VerificationState.PENDING and not cohort.accept_pending_pec:
        reasons.append(_("This cohort needs a verified PEC number; yours is still under review."))
    elif profile.verification_state == VerificationState.UNVERIFIED:
        reasons.append(_("Save your engineer profile so that your PEC number can be verified."))
    return reasons


# --- drafts and submission -----------------------------------------------------------------------


def _clean_answers(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            fields={name: [_("This field cannot be set.")] for name in sorted(unknown)},
        )
    return dict(data)


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
        try:
            application.full_clean(
                exclude=["cohort", "user"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("Please correct the highlighted fields."),
                fields=exc.message_dict,
            ) from exc
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
    profile; then one transaction that claims, writes and records.
    """
    now = now or timezone.now()
    idempotency_key = (idempotency_key or "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The idempotency key is too long."),
            fields={"idempotency_key": [_("64 characters at most.")]},
        )
    answers = _clean_answers(data)
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    mine_or_key = (
        Q(user=user) | Q(idempotency_key=idempotency_key) if idempotency_key else Q(user=user)
    )
    existing = list(Application.objects.filter(mine_or_key, cohort=cohort))
    for other in existing:
        if other.user_id != user.pk:
            raise DomainError(ErrorCode.CONFLICT, _("That idempotency key is already used."))
    mine = existing[0] if existing else None
    if mine is not None and mine.state != ApplicationState.DRAFT:
        return mine, False
    profile = EngineerProfile.objects.filter(user=user).first()
    reasons = eligibility_reasons(user=user, cohort=cohort, now=now, profile=profile)
    if reasons:
        raise DomainError(ErrorCode.NOT_ELIGIBLE, " ".join(reasons), fields={"__all__": reasons})
    assert profile is not None  # eligibility requires a profile
    application = mine or Application(cohort=cohort, user=user)
    for name, value in answers.items():
        setattr(application, name, value)
    _require_answers(application)
    application.idempotency_key = idempotency_key
    application.submitted_at = now
    application.province = profile.province
    application.gender = profile.gender
    application.early_career = profile.years_experience <= cohort.early_career_max_years
    application.district, application.discipline = profile.district, profile.discipline
    application.state = ApplicationState.SUBMITTED
    try:
        with transaction.atomic():
            if mine is not None:
                current = Application.objects.select_for_update().filter(pk=mine.pk).first()
                if current is None or current.state != ApplicationState.DRAFT:
                    return current or mine, False  # a concurrent request submitted it first
            kinds = ["programme.applied"]
            # People already waiting come first: a seat freed by a decline or an expiry goes to
            # them (waitlist_promote), never to whoever happens to apply next.
            waiting = (
                cohort.policy == AllocationPolicy.FIRST_COME
                and Application.objects.filter(
                    cohort=cohort, state=ApplicationState.WAITLISTED
                ).exists()
            )
            if waiting:
                application.state = ApplicationState.WAITLISTED
                application.placement_reason = _(
                    "All seats were taken when you applied; you are on the waitlist in "
                    "order of application."
                )
                kinds.append("programme.waitlisted")
            elif cohort.policy == AllocationPolicy.FIRST_COME:
                if capacity_try_claim(Cohort, cohort.pk, used="seats_taken", cap="seats"):
                    application.state = ApplicationState.OFFERED
                    application.offer_expires_at = now + timedelta(days=cohort.offer_days)
                    application.placement_reason = _(
                        "Seat offered: you applied while seats remained."
                    )
                    kinds.append("programme.offered")
                else:
                    application.state = ApplicationState.WAITLISTED
                    application.placement_reason = _(
                        "All seats were taken when you applied; you are on the waitlist in "
                        "order of application."
                    )
                    kinds.append("programme.waitlisted")
            application.save()
            _record_many(application, kinds, actor=user)
            if waiting and Cohort.objects.filter(pk=cohort.pk, seats_taken__lt=F("seats")).exists():
                waitlist_promote(cohort_id=cohort.pk, now=now)
            if application.state == ApplicationState.OFFERED:
                task_enqueue(application_notify, application.pk, "offered")
    except IntegrityError:
        # The same person (or key) raced in through another request: answer as that one did.
        again = Application.objects.filter(cohort=cohort, user=user).first()
        if again is None or again.state == ApplicationState.DRAFT:
            raise
        return again, False
    return application, True


def _record_many(application: Application, kinds: list[str], *, actor: User | None) -> None:
    """Events and one audit row for a submission, in two statements."""
    Event.objects.bulk_create(
        [
            application_event(application, kind, actor_id=actor.pk if actor else None)
            for kind in kinds
        ]
    )
    audit_record(
        actor=actor,
        action="programme.submitted",
        target=application,
        state=application.state,
        events=kinds,
    )


def _offer(application: Application, expires_at: datetime, reason: str) -> None:
    application.state = ApplicationState.OFFERED
    application.offer_expires_at = expires_at
    application.placement_reason = reason
    application.save(update_fields=["state", "offer_expires_at", "placement_reason", "updated_at"])
    _record(application, "programme.offered")
    task_enqueue(application_notify, application.pk, "offered")


def _record(
    application: Application, kind: str, *, actor: User | None = None, **details: Any
) -> None:
    application_event(application, kind, actor_id=actor.pk if actor else None).save()
    audit_record(actor=actor, action=kind, target=application, state=application.state, **details)


# --- offers, waitlist ------------------------------------------------------------------------


def _locked_own(user: User, application_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=application_id, user=user)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def offer_respond(
    *, user: User, application_id: int, accept: bool, now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked_own(user, application_id)
        if application.state == ApplicationState.CONFIRMED and accept:
            return application  # a repeated confirmation changes nothing
        if application.state != ApplicationState.OFFERED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("There is no open offer on this application.")
            )
        expired = bool(application.offer_expires_at and application.offer_expires_at <= now)
        if expired:
            # The seat goes to the waitlist now, committed, before the refusal is raised.
            _expire(application)
            waitlist_promote(cohort_id=application.cohort_id, now=now)
        elif accept:
            application.state = ApplicationState.CONFIRMED
            application.save(update_fields=["state", "updated_at"])
            _record(application, "programme.seated", actor=user)
        else:
            application.state = ApplicationState.DECLINED
            application.save(update_fields=["state", "updated_at"])
            capacity_release(Cohort, application.cohort_id, used="seats_taken")
            _record(application, "programme.declined", actor=user)
            waitlist_promote(cohort_id=application.cohort_id, now=now)
    if expired:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This offer has expired."))
    return application


def application_withdraw(
    *, user: User, application_id: int, now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked_own(user, application_id)
        if application.state in (
            ApplicationState.WITHDRAWN,
            ApplicationState.DECLINED,
            ApplicationState.EXPIRED,
        ):
            return application
        held_seat = application.state in (ApplicationState.OFFERED, ApplicationState.CONFIRMED)
        application.state = ApplicationState.WITHDRAWN
        application.save(update_fields=["state", "updated_at"])
        _record(application, "programme.withdrawn", actor=user)
        if held_seat:
            capacity_release(Cohort, application.cohort_id, used="seats_taken")
            waitlist_promote(cohort_id=application.cohort_id, now=now)
    return application


def _expire(application: Application) -> None:
    application.state = ApplicationState.EXPIRED
    application.save(update_fields=["state", "updated_at"])
    capacity_release(Cohort, application.cohort_id, used="seats_taken")
    _record(application, "programme.expired")
    task_enqueue(application_notify, application.pk, "expired")


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire offers past their deadline and offer the freed seats to the waitlist, in the same
    transaction: a crash between the two can never leave a seat free while people wait.
    Idempotent."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cohort")
                .filter(state=ApplicationState.OFFERED, offer_expires_at__lte=now)
                .order_by("pk")[:200]
            )
            for application in batch:
                _expire(application)
            for cohort_id in sorted({application.cohort_id for application in batch}):
                waitlist_promote(cohort_id=cohort_id, now=now)
            expired += len(batch)
        if len(batch) < 200:
            break
    return expired


def waitlist_promote(*, cohort_id: int, now: datetime | None = None) -> int:
    """Offer freed seats to the waitlist, in order, each with a claim window."""
    now = now or timezone.now()
    cohort = Cohort.objects.get(pk=cohort_id)
    # The waitlist's order: lottery rank after a fair allocation, time of application otherwise
    # (each served by its own index).
    order = (
        ("lottery_rank", "pk") if cohort.policy == AllocationPolicy.FAIR else ("submitted_at", "pk")
    )
    promoted = 0
    with transaction.atomic():
        while True:
            nxt = (
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cohort")
                .filter(cohort_id=cohort_id, state=ApplicationState.WAITLISTED)
                .order_by(*order)
                .first()
            )
            if nxt is None:
                break
            if not capacity_try_claim(Cohort, cohort_id, used="seats_taken", cap="seats"):
                break
            _offer(
                nxt,
                now + timedelta(hours=cohort.claim_window_hours),
                _("A seat was freed and offered to you from the waitlist."),
            )
            promoted += 1
    return promoted


# --- fair allocation ---------------------------------------------------------------------------


def allocation_run(
    *,
    actor: User,
    cohort_id: int,
    seed: int,
    commit: bool,
    now: datetime | None = None,
    notify: bool = True,
) -> AllocationRun:
    """Run the fair allocation for a cohort whose window has closed.  A dry run only reports the
    projected composition; a committed run places every applicant, once."""
    if not actor.has_perm("programme.run_allocation"):
        raise NotFound()
    now = now or timezone.now()
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().filter(pk=cohort_id).first()
        if cohort is None:
            raise NotFound()
        if cohort.policy != AllocationPolicy.FAIR:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("This cohort allocates first come, first served.")
            )
        if now < cohort.applications_close_at:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("Allocation runs after the application window closes."),
            )
        if AllocationRun.objects.filter(cohort=cohort, committed=True).exists():
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("This cohort has already been allocated.")
            )
        pool = list(
            Application.objects.filter(cohort=cohort, state=ApplicationState.SUBMITTED).only(
                "pk", "cohort_id", "province", "district", "gender", "discipline", "early_career"
            )
        )
        for application in pool:
            application.cohort = cohort  # the events name it; no query per application
        targets = Targets(
            women_share=float(cohort.target_women_share),
            early_career_share=float(cohort.target_early_career_share),
            province_floors=cohort.province_floors,
        )
        result = allocate(
            [Candidate(a.pk, a.province, a.gender == "woman", a.early_career) for a in pool],
            cohort.seats - cohort.seats_taken,
            targets,
            seed,
        )
        summary = {
            "seats": cohort.seats - cohort.seats_taken,
            "applicants": len(pool),
            "selected": len(result.selected),
            "minimums": result.minimums,
            "achieved": result.achieved,
            "applicant_counts": result.applicants,
        }
        run = AllocationRun.objects.create(
            cohort=cohort, seed=seed, committed=commit, created_by=actor, summary=summary
        )
        audit_record(
            actor=actor,
            action="programme.allocation_committed" if commit else "programme.allocation_dry_run",
            target=cohort,
            seed=seed,
            selected=len(result.selected),
        )
        if not commit:
            return run
        by_id = {a.pk: a for a in pool}
        expires = now + timedelta(days=cohort.offer_days)
        for placement in result.placements:
            application = by_id[placement.id]
            application.lottery_rank = placement.lottery_rank
            application.placement_reason = placement.reason
            if placement.selected:
                application.state = ApplicationState.OFFERED
                application.offer_expires_at = expires
            else:
                application.state = ApplicationState.WAITLISTED
            application.updated_at = now
        Application.objects.bulk_update(
            pool,
            ["lottery_rank", "placement_reason", "state", "offer_expires_at", "updated_at"],
            batch_size=2000,
        )
        Cohort.objects.filter(pk=cohort.pk).update(
            seats_taken=F("seats_taken") + len(result.selected)
        )
        Event.objects.bulk_create(
            [
                application_event(
                    by_id[p.id], "programme.offered" if p.selected else "programme.waitlisted"
                )
                for p in result.placements
            ],
            batch_size=2000,
        )
        for placement in result.selected if notify else []:
            task_enqueue(application_notify, placement.id, "offered")
    return run


# --- cohorts -------------------------------------------------------------------------------


COHORT_FIELDS = COHORT_EDITABLE


def cohort_save(*, actor: User, data: Mapping[str, Any], cohort: Cohort | None = None) -> Cohort:
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    unknown = set(data) - set(COHORT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Unknown fields."),
            fields={name: [_("This field cannot be set.")] for name in unknown},
        )
    cohort = cohort or Cohort()
    for name, value in data.items():
        setattr(cohort, name, value)
    try:
        cohort.full_clean()
    except ValidationError as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please correct the highlighted fields."),
            fields=exc.message_dict,
        ) from exc
    if cohort.pk:
        # Never write the seat counter from a stale copy: claims happen while staff edit.
        cohort.save(update_fields=[*COHORT_EDITABLE, "updated_at"])
    else:
        cohort.save()
    audit_record(actor=actor, action="programme.cohort_saved", target=cohort)
    return cohort


def seats_release_for_deleted_user(sender: Any, instance: User, **kwargs: Any) -> None:
    """An account being deleted withdraws its held seats first, so the waitlist moves up."""
    held = Application.objects.filter(user=instance, state__in=HOLDS_SEAT).values_list(
        "pk", flat=True
    )
    for application_id in list(held):
        application_withdraw(user=instance, application_id=application_id)
