"""Engineer profiles and the verification of their PEC registration numbers.

A number's verification state changes only through the ``pec`` machine
(``rabta.accounts.states``): an engineer's save submits it for review, the imported register
confirms or lapses it, and staff verify or reject it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import (
    EngineerProfile,
    PecRegisterEntry,
    RegisterMatch,
    User,
    VerificationState,
)
from rabta.accounts.reference import pec_number_normalise
from rabta.accounts.register import name_digest
from rabta.accounts.roles import Role
from rabta.accounts.services.fields import fields_assign
from rabta.accounts.services.users import role_grant
from rabta.accounts.states import PEC_VERIFICATION, transition
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.notifications import notify
from rabta.core.services import event_record, validate

# Fields a person may set on their own profile.  Verification state, roles and ownership are
# never among them: that is the mass-assignment guard.
ENGINEER_EDITABLE = (
    "pec_number",
    "discipline",
    "degree",
    "university",
    "graduation_year",
    "province",
    "district",
    "country_of_residence",
    "gender",
    "gender_self_description",
    "years_experience",
    "employment_status",
    "languages",
    "bio",
    "links",
)
# What a save writes besides the state: everything the engineer edits and the register's say.
_SAVED = (*ENGINEER_EDITABLE, "verified_at", "rejection_reason", "register_match")
# The step an engineer's save takes to reach each state, and the part that takes it.
_SAVE_STEPS = {
    VerificationState.PENDING: ("submitted", "owner"),
    VerificationState.VERIFIED: ("confirmed", "system"),
    VerificationState.REJECTED: ("lapsed", "system"),
}
EARLY_CAREER_YEARS = 3  # the programme's default for "early career"


class Dimensions(TypedDict, total=False):
    province: str
    district: str
    gender: str
    discipline: str
    career: str


def engineer_dimensions(profile: EngineerProfile | None) -> Dimensions:
    """What an engineer's events are cut by on the dashboards (no more than that)."""
    if profile is None:
        return {}
    return {
        "province": profile.province,
        "district": profile.district,
        "gender": profile.gender,
        "discipline": profile.discipline,
        "career": "early" if profile.years_experience <= EARLY_CAREER_YEARS else "experienced",
    }


# --- what the imported register says ---------------------------------------------------------


def register_finding(
    profile: EngineerProfile, entry: PecRegisterEntry | None, holder_name: str
) -> str | None:
    """The register's finding about the profile's number (a ``RegisterMatch``), or None when
    the register does not list it."""
    if entry is None:
        return None
    if not entry.in_good_standing:
        return RegisterMatch.NOT_CURRENT
    if entry.discipline != profile.discipline:
        return RegisterMatch.DISCIPLINE_DIFFERS
    if not entry.name_digest or entry.name_digest != name_digest(holder_name):
        return RegisterMatch.NAME_DIFFERS
    return RegisterMatch.CONFIRMED


def register_apply(profile: EngineerProfile, finding: str | None, state: str) -> str:
    """Note ``finding`` on a profile now in ``state`` and return the state it leads to.

    Verified only when the register lists the number as current, in the same discipline, under
    the holder's name.  A number the register lists as not current is rejected, even one
    verified before.  Anything else stays with staff, with the register's finding noted.  The
    state itself is left for the caller to move through the machine.
    """
    if finding is None:
        return state
    profile.register_match = finding
    if finding == RegisterMatch.NOT_CURRENT:
        profile.verified_at = None
        profile.rejection_reason = _(
            "The PEC register does not show this registration as current. Renew it with PEC, "
            "then save your profile again."
        )
        return VerificationState.REJECTED
    if finding == RegisterMatch.CONFIRMED and state != VerificationState.VERIFIED:
        profile.verified_at = timezone.now()
        profile.rejection_reason = ""
        return VerificationState.VERIFIED
    return state


# --- the engineer's own profile --------------------------------------------------------------


def _pec_number_taken() -> DomainError:
    return DomainError(
        ErrorCode.PEC_NUMBER_TAKEN,
        _("This PEC number is already linked to another account."),
        fields={"pec_number": [_("Already linked to another account.")]},
    )


def _number_free_check(profile: EngineerProfile, user: User) -> None:
    if EngineerProfile.objects.filter(pec_number=profile.pec_number).exclude(user=user).exists():
        raise DomainError(
            ErrorCode.PEC_NUMBER_TAKEN,
            _(
                "This PEC number is already linked to another account. If it is yours, "
                "contact the council so we can resolve it."
            ),
            fields={"pec_number": [_("Already linked to another account.")]},
        )


def _review_state(profile: EngineerProfile, *, before: str, number_changed: bool) -> str:
    """The state a save leaves the number in before the register is asked: a new or changed
    number goes to review afresh, and saving after a rejection asks for another review."""
    if number_changed or before == VerificationState.UNVERIFIED:
        profile.verified_at = None
        profile.rejection_reason = ""
        return VerificationState.PENDING
    if before == VerificationState.REJECTED:
        return VerificationState.PENDING
    return before


def _profile_store(profile: EngineerProfile, *, before: str, target: str, user: User) -> None:
    try:
        if target == before and not profile._state.adding:
            profile.save()
        else:
            action, part = _SAVE_STEPS[VerificationState(target)]
            transition(PEC_VERIFICATION, profile, action, part=part, actor=user, fields=_SAVED)
    except IntegrityError as exc:  # a concurrent claim of the same number
        raise _pec_number_taken() from exc


def engineer_profile_save(*, user: User, data: Mapping[str, Any]) -> EngineerProfile:
    """Create or update the caller's engineer profile.

    A new or changed PEC number goes to verification: straight to verified when the imported
    register confirms it, otherwise into the staff queue as pending.
    """
    if "pec_number" in data and isinstance(data["pec_number"], str):
        normalised = pec_number_normalise(data["pec_number"])
        data = {**data, "pec_number": normalised or data["pec_number"]}
    with transaction.atomic():
        profile = EngineerProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if profile is None:
            profile = EngineerProfile(user=user)
        previous_number, before = profile.pec_number, profile.verification_state
        fields_assign(profile, data, ENGINEER_EDITABLE)
        # Uniqueness of the number is checked below, with a message that says what to do.
        validate(profile, exclude=["user"], validate_constraints=False)
        _number_free_check(profile, user)
        review = _review_state(
            profile, before=before, number_changed=created or profile.pec_number != previous_number
        )
        profile.register_match = RegisterMatch.NONE
        entry = PecRegisterEntry.objects.filter(pec_number=profile.pec_number).first()
        finding = register_finding(profile, entry, user.display_name)
        target = register_apply(profile, finding, review)
        _profile_store(profile, before=before, target=target, user=user)
        if not user.has_role(Role.ENGINEER):
            role_grant(user=user, role=Role.ENGINEER, actor=user)
        _saved_events(
            profile,
            user=user,
            created=created,
            register_verified=finding is not None and target == VerificationState.VERIFIED,
        )
    return profile


def _saved_events(
    profile: EngineerProfile, *, user: User, created: bool, register_verified: bool
) -> None:
    """A first save completes the profile; the register's confirmation counts as verified
    whenever it has its say on a save (one that keeps a confirmed number counts again, as it
    always has), which is why the ``confirmed`` step declares no event of its own."""
    dims = engineer_dimensions(profile)
    if created:
        event_record(kind="engineer.profile_completed", actor_id=user.pk, subject=profile, **dims)
    if register_verified:
        event_record(kind="engineer.pec_verified", actor_id=user.pk, subject=profile, **dims)


# --- staff review ----------------------------------------------------------------------------


def _decision_check(*, actor: User, decision: str, reason: str) -> None:
    if not actor.has_perm("accounts.verify_pec_number"):
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    if decision not in (VerificationState.VERIFIED, VerificationState.REJECTED):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Decide verified or rejected."),
            fields={"decision": [_("Choose verified or rejected.")]},
        )
    if decision == VerificationState.REJECTED and not reason:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Give the engineer a reason they can act on."),
            fields={"reason": [_("A reason is required when rejecting.")]},
        )
    if len(reason) > 500:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The reason is too long."),
            fields={"reason": [_("500 characters at most.")]},
        )


def _reviewable(*, actor: User, profile_id: int, reviewed_pec_number: str) -> EngineerProfile:
    profile = EngineerProfile.objects.select_for_update().filter(pk=profile_id).first()
    if profile is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    if profile.user_id == actor.pk:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("Another member of staff must review your own PEC number.")
        )
    if pec_number_normalise(reviewed_pec_number or "") != profile.pec_number:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "The engineer changed this PEC number after you opened the queue. Reload and "
                "review the new number."
            ),
        )
    return profile


def pec_verification_decide(
    *, actor: User, profile_id: int, decision: str, reviewed_pec_number: str, reason: str = ""
) -> EngineerProfile:
    reason = (reason or "").strip()
    _decision_check(actor=actor, decision=decision, reason=reason)
    with transaction.atomic():
        profile = _reviewable(
            actor=actor, profile_id=profile_id, reviewed_pec_number=reviewed_pec_number
        )
        current = profile.verification_state
        if not PEC_VERIFICATION.can(current, decision):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("This profile is already %(state)s.")
                % {"state": profile.get_verification_state_display()},
            )
        if decision == VerificationState.VERIFIED:
            profile.verified_at = timezone.now()
            profile.rejection_reason = ""
        else:
            profile.verified_at = None
            profile.rejection_reason = reason
        dims = engineer_dimensions(profile)
        transition(
            PEC_VERIFICATION,
            profile,
            decision,
            part="staff",
            actor=actor,
            fields=["verified_at", "rejection_reason"],
            dimensions={name: str(value) for name, value in dims.items()},
            previous=str(current),
            reason=reason,
        )
        notify(
            profile.user,
            "accounts.verified" if decision == VerificationState.VERIFIED else "accounts.rejected",
            profile,
            {"number": profile.pec_number, "reason": reason},
            url=reverse("accounts:home"),
            key=timezone.now().isoformat(),  # each decision is told, a later one too
        )
    return profile
