"""Writes for identity, roles and profiles.  Views and API functions call these and nothing
else; every function validates with ``full_clean()`` before saving."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import (
    ApiToken,
    ContributorProfile,
    EngineerProfile,
    Institution,
    InstitutionInvitation,
    InstitutionMembership,
    PecRegisterEntry,
    PecRegisterImport,
    RegisterMatch,
    User,
    VerificationState,
)
from rabta.accounts.reference import Discipline, pec_number_normalise
from rabta.accounts.register import name_digest
from rabta.accounts.roles import SELF_SERVICE_ROLES, Role
from rabta.accounts.tasks import email_verification_send, institution_invitation_send
from rabta.accounts.tokens import email_verification_token_read
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import Event
from rabta.core.services import audit_record, event_record
from rabta.core.tasks import task_enqueue

# Fields a person may set on their own profiles.  Verification state, roles and ownership are
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
CONTRIBUTOR_EDITABLE = (
    "country",
    "city",
    "time_zone",
    "employer",
    "sectors",
    "contribution_types",
    "capacity",
    "hours_per_month",
    "availability",
    "paused_until",
    "languages",
)
INSTITUTION_EDITABLE = ("name", "kind", "city", "province", "website")


def _validation_error(exc: ValidationError) -> DomainError:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return DomainError(
        ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=fields
    )


def _assign(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            fields={name: [_("This field cannot be set.")] for name in sorted(unknown)},
        )
    for name, value in data.items():
        setattr(instance, name, value)


def _save_validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise _validation_error(exc) from exc
    instance.save()


# --- users and roles -------------------------------------------------------------------------


def role_grant(*, user: User, role: str, actor: User | None = None) -> None:
    group, _created = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)
    if role in (Role.ADMINISTRATOR,):
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    audit_record(actor=actor, action="role.granted", target=user, role=str(role))


def user_register(
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    preferred_language: str = "en",
) -> User:
    if role not in SELF_SERVICE_ROLES:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("That role is granted by the council, not chosen at sign-up.")
        )
    email = User.objects.normalize_email(email or "").strip().lower()
    user = User(
        email=email,
        display_name=(display_name or "").strip(),
        preferred_language=preferred_language,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email already exists. Try logging in.")]
    if errors:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=errors
        )
    user.set_password(password)
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError as exc:  # a concurrent sign-up with the same address
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("An account with this email already exists. Try logging in."),
                fields={"email": [_("An account with this email already exists.")]},
            ) from exc
        group, _created = Group.objects.get_or_create(name=str(role))
        user.groups.add(group)
        event_record(kind="user.registered", actor_id=user.pk, subject=user)
        task_enqueue(email_verification_send, user.pk)
    return user


RESEND_INTERVAL_SECONDS = 60


def email_verification_resend(*, user: User) -> None:
    """Send a fresh link, at most once a minute (the cache is shared by every app server)."""
    if user.email_verified:
        return
    if not cache.add(f"rabta:verify-resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _("We sent a link less than a minute ago. Check your inbox and spam folder."),
        )
    task_enqueue(email_verification_send, user.pk)


def email_verify(*, token: str) -> User:
    parsed = email_verification_token_read(token)
    invalid = DomainError(
        ErrorCode.VALIDATION_ERROR,
        _("This verification link is invalid or has expired. Log in to get a new one."),
    )
    if parsed is None:
        raise invalid
    user_id, email = parsed
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email != email:
            raise invalid
        if not user.email_verified:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            event_record(kind="user.email_verified", actor_id=user.pk, subject=user)
    return user


def user_update_settings(*, user: User, display_name: str, preferred_language: str) -> User:
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    _save_validated(user, exclude=["password"])
    return user


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and every profile; events keep their counts but lose the link."""
    if not user.check_password(password):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            _("The password is not correct; your account was not deleted."),
            fields={"password": [_("The password is not correct.")]},
        )
    with transaction.atomic():
        user_id = user.pk
        Event.objects.filter(actor_id=user_id).update(actor_id=None)
        Event.objects.filter(subject_type="accounts.user", subject_id=user_id).update(
            subject_id=None
        )
        audit_record(actor=None, action="account.deleted", target=user)
        user.delete()


# --- engineer profile ------------------------------------------------------------------------


def _register_lookup(pec_number: str) -> PecRegisterEntry | None:
    return PecRegisterEntry.objects.filter(pec_number=pec_number).first()


def _apply_register(
    profile: EngineerProfile, entry: PecRegisterEntry | None, holder_name: str
) -> bool:
    """Apply what the register says about this number; return True when the state changed.

    Verified only when the register lists the number as current, in the same discipline, under
    the holder's name.  A number the register lists as not current is rejected, even one
    verified before.  Anything else stays with staff, with the register's finding noted.
    """
    if entry is None:
        return False
    before = (profile.verification_state, profile.register_match)
    if not entry.in_good_standing:
        profile.register_match = RegisterMatch.NOT_CURRENT
        profile.verification_state = VerificationState.REJECTED
        profile.verified_at = None
        profile.rejection_reason = _(
            "The PEC register does not show this registration as current. Renew it with PEC, "
            "then save your profile again."
        )
    elif entry.discipline != profile.discipline:
        profile.register_match = RegisterMatch.DISCIPLINE_DIFFERS
    elif not entry.name_digest or entry.name_digest != name_digest(holder_name):
        profile.register_match = RegisterMatch.NAME_DIFFERS
    else:
        profile.register_match = RegisterMatch.CONFIRMED
        if profile.verification_state != VerificationState.VERIFIED:
            profile.verification_state = VerificationState.VERIFIED
            profile.verified_at = timezone.now()
            profile.rejection_reason = ""
    return before != (profile.verification_state, profile.register_match)


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
        previous_number = profile.pec_number
        _assign(profile, data, ENGINEER_EDITABLE)
        try:
            # Uniqueness of the number is checked below, with a message that says what to do.
            profile.full_clean(exclude=["user"], validate_constraints=False)
        except ValidationError as exc:
            raise _validation_error(exc) from exc
        number_changed = created or profile.pec_number != previous_number
        if (
            EngineerProfile.objects.filter(pec_number=profile.pec_number)
            .exclude(user=user)
            .exists()
        ):
            raise DomainError(
                ErrorCode.PEC_NUMBER_TAKEN,
                _(
                    "This PEC number is already linked to another account. If it is yours, "
                    "contact the council so we can resolve it."
                ),
                fields={"pec_number": [_("Already linked to another account.")]},
            )
        if number_changed or profile.verification_state == VerificationState.UNVERIFIED:
            profile.verification_state = VerificationState.PENDING
            profile.verified_at = None
            profile.rejection_reason = ""
        elif profile.verification_state == VerificationState.REJECTED:
            # Saving after a rejection asks for another review.
            profile.verification_state = VerificationState.PENDING
        profile.register_match = RegisterMatch.NONE
        auto = _apply_register(profile, _register_lookup(profile.pec_number), user.display_name)
        try:
            profile.save()
        except IntegrityError as exc:
            raise DomainError(
                ErrorCode.PEC_NUMBER_TAKEN,
                _("This PEC number is already linked to another account."),
                fields={"pec_number": [_("Already linked to another account.")]},
            ) from exc
        if not user.has_role(Role.ENGINEER):
            role_grant(user=user, role=Role.ENGINEER, actor=user)
        dims = engineer_dimensions(profile)
        if created:
            event_record(
                kind="engineer.profile_completed", actor_id=user.pk, subject=profile, **dims
            )
        if auto and profile.verification_state == VerificationState.VERIFIED:
            event_record(kind="engineer.pec_verified", actor_id=user.pk, subject=profile, **dims)
    return profile


_DECISIONS = {
    VerificationState.PENDING: {VerificationState.VERIFIED, VerificationState.REJECTED},
    VerificationState.VERIFIED: {VerificationState.REJECTED},
    VerificationState.REJECTED: {VerificationState.VERIFIED},
    VerificationState.UNVERIFIED: {VerificationState.VERIFIED, VerificationState.REJECTED},
}


def pec_verification_decide(
    *, actor: User, profile_id: int, decision: str, reviewed_pec_number: str, reason: str = ""
) -> EngineerProfile:
    if not actor.has_perm("accounts.verify_pec_number"):
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    if decision not in (VerificationState.VERIFIED, VerificationState.REJECTED):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Decide verified or rejected."),
            fields={"decision": [_("Choose verified or rejected.")]},
        )
    reason = (reason or "").strip()
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
    with transaction.atomic():
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
        current = VerificationState(profile.verification_state)
        if decision not in _DECISIONS[current]:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("This profile is already %(state)s.")
                % {"state": profile.get_verification_state_display()},
            )
        profile.verification_state = decision
        if decision == VerificationState.VERIFIED:
            profile.verified_at = timezone.now()
            profile.rejection_reason = ""
        else:
            profile.verified_at = None
            profile.rejection_reason = reason
        profile.save(
            update_fields=["verification_state", "verified_at", "rejection_reason", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=f"pec.{decision}",
            target=profile,
            previous=str(current),
            reason=reason,
        )
        if decision == VerificationState.VERIFIED:
            event_record(
                kind="engineer.pec_verified",
                actor_id=actor.pk,
                subject=profile,
                **engineer_dimensions(profile),
            )
    return profile


# --- the PEC register import -----------------------------------------------------------------

REGISTER_COLUMNS = ("pec_number", "name", "discipline", "status")
REGISTER_STATUSES = {"active": True, "suspended": False, "cancelled": False, "expired": False}


@dataclass(frozen=True)
class RegisterRow:
    line: int
    pec_number: str
    discipline: str
    in_good_standing: bool
    name_digest: str


@dataclass
class RegisterImportResult:
    row_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    verified: int = 0
    rejected: int = 0
    already_imported: bool = False
    errors: list[str] = field(default_factory=list)


def _register_row(line_no: int, cells: list[str], index: dict[str, int]) -> RegisterRow | str:
    """Parse one line; a string is the error to report for it."""
    raw_number = cells[index["pec_number"]]
    number = pec_number_normalise(raw_number)
    discipline = cells[index["discipline"]].strip().upper()
    status = cells[index["status"]].strip().lower()
    digest = name_digest(cells[index["name"]][:200])
    if number is None:
        return _("Line %(n)d: “%(value)s” is not a PEC registration number") % {
            "n": line_no,
            "value": raw_number[:40],
        }
    if discipline not in Discipline.values:
        return _("Line %(n)d: unknown discipline “%(value)s”") % {
            "n": line_no,
            "value": discipline[:40],
        }
    if number.split("/", 1)[0] != discipline:
        return _("Line %(n)d: %(number)s does not match discipline %(d)s") % {
            "n": line_no,
            "number": number,
            "d": discipline,
        }
    if status not in REGISTER_STATUSES:
        return _("Line %(n)d: status must be one of %(allowed)s, not “%(value)s”") % {
            "n": line_no,
            "allowed": ", ".join(REGISTER_STATUSES),
            "value": status[:20],
        }
    if not digest:
        return _("Line %(n)d: the name is missing") % {"n": line_no}
    return RegisterRow(line_no, number, discipline, REGISTER_STATUSES[status], digest)


def _register_rows(content: bytes) -> tuple[list[RegisterRow], list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")]
    if "\x00" in text:
        return [], [_("The file is not a CSV text file.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return [], [_("The file is empty.")]
    except csv.Error as exc:
        return [], [_("Line 1: %(error)s") % {"error": exc}]
    missing = [name for name in REGISTER_COLUMNS if name not in header]
    if missing:
        return [], [
            _("Line 1: the header must name the columns %(columns)s; missing: %(missing)s")
            % {"columns": ", ".join(REGISTER_COLUMNS), "missing": ", ".join(missing)}
        ]
    index = {name: header.index(name) for name in REGISTER_COLUMNS}
    rows: list[RegisterRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < len(header):
                errors.append(
                    _("Line %(n)d: expected %(want)d columns, found %(got)d")
                    % {"n": line_no, "want": len(header), "got": len(cells)}
                )
                continue
            row = _register_row(line_no, cells, index)
            if isinstance(row, str):
                errors.append(row)
            elif row.pec_number in seen:
                errors.append(
                    _("Line %(n)d: %(number)s already appears on line %(first)d")
                    % {"n": line_no, "number": row.pec_number, "first": seen[row.pec_number]}
                )
            else:
                seen[row.pec_number] = line_no
                rows.append(row)
    except csv.Error as exc:
        errors.append(_("Line %(n)d: %(error)s") % {"n": reader.line_num, "error": exc})
    if not rows and not errors:
        errors.append(_("The file has a header but no rows."))
    return rows, errors


def pec_register_import(*, actor: User | None, content: bytes) -> RegisterImportResult:
    """Import the council's register (pec_number, name, discipline, status), all or nothing.

    Every line is checked first; one bad line rejects the whole file with every error listed by
    line number.  Importing the file that was imported last changes nothing.  Open profiles are
    verified where the register confirms number, discipline and name; numbers the register lists
    as not current are rejected, verified ones included.
    """
    if actor is not None and not actor.has_perm("accounts.import_pec_register"):
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    if len(content) > settings.REGISTER_IMPORT_MAX_BYTES:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("The file is larger than %(mb)d MB. Split it and import each part.")
            % {"mb": settings.REGISTER_IMPORT_MAX_BYTES // (1024 * 1024)},
        )
    digest = hashlib.sha256(content).hexdigest()
    result = RegisterImportResult()
    latest = PecRegisterImport.objects.order_by("-imported_at", "-pk").first()
    if latest is not None and latest.sha256 == digest:
        result.already_imported = True
        return result
    rows, errors = _register_rows(content)
    if errors:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("Nothing was imported: %(count)d problem(s) found.") % {"count": len(errors)},
            fields={"file": errors[:200]},
        )
    result.row_count = len(rows)
    with transaction.atomic():
        existing = {
            entry.pec_number: entry
            for entry in PecRegisterEntry.objects.filter(
                pec_number__in=[row.pec_number for row in rows]
            )
        }
        to_create, to_update = [], []
        for row in rows:
            entry = existing.get(row.pec_number)
            values = (row.discipline, row.in_good_standing, row.name_digest)
            if entry is None:
                to_create.append(
                    PecRegisterEntry(
                        pec_number=row.pec_number,
                        discipline=row.discipline,
                        in_good_standing=row.in_good_standing,
                        name_digest=row.name_digest,
                    )
                )
            elif (entry.discipline, entry.in_good_standing, entry.name_digest) != values:
                entry.discipline, entry.in_good_standing, entry.name_digest = values
                entry.updated_at = timezone.now()
                to_update.append(entry)
            else:
                result.unchanged += 1
        PecRegisterEntry.objects.bulk_create(to_create, batch_size=2000)
        PecRegisterEntry.objects.bulk_update(
            to_update,
            ["discipline", "in_good_standing", "name_digest", "updated_at"],
            batch_size=2000,
        )
        result.created, result.updated = len(to_create), len(to_update)
        result.verified, result.rejected = _register_apply_to_profiles(
            {**existing, **{e.pec_number: e for e in to_create}}
        )
        PecRegisterImport.objects.update_or_create(
            sha256=digest,
            defaults={
                "imported_by": actor,
                "row_count": result.row_count,
                "created_count": result.created,
                "updated_count": result.updated,
                "verified_count": result.verified,
                "imported_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="pec.register_imported",
            sha256=digest,
            rows=result.row_count,
            verified=result.verified,
            rejected=result.rejected,
        )
    return result


def _register_apply_to_profiles(register: dict[str, PecRegisterEntry]) -> tuple[int, int]:
    numbers = list(register)
    now = timezone.now()
    verified, rejected, noted = [], [], []
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        profiles = (
            EngineerProfile.objects.select_for_update()
            .select_related("user")
            .filter(pec_number__in=chunk)
            .exclude(verification_state=VerificationState.REJECTED)
        )
        for profile in profiles:
            was = profile.verification_state
            if not _apply_register(
                profile, register[profile.pec_number], profile.user.display_name
            ):
                continue
            profile.updated_at = now
            if profile.verification_state == was:
                noted.append(profile)
            elif profile.verification_state == VerificationState.VERIFIED:
                verified.append(profile)
            else:
                rejected.append(profile)
    EngineerProfile.objects.bulk_update(
        verified + rejected + noted,
        ["verification_state", "verified_at", "rejection_reason", "register_match", "updated_at"],
        batch_size=2000,
    )
    Event.objects.bulk_create(
        [
            Event(
                kind="engineer.pec_verified",
                subject_type="accounts.engineerprofile",
                subject_id=profile.pk,
                **engineer_dimensions(profile),
            )
            for profile in verified
        ],
        batch_size=2000,
    )
    return len(verified), len(rejected)


# --- contributor profile and institutions ------------------------------------------------------


def contributor_profile_save(*, user: User, data: Mapping[str, Any]) -> ContributorProfile:
    with transaction.atomic():
        profile = ContributorProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if profile is None:
            profile = ContributorProfile(user=user)
        _assign(profile, data, CONTRIBUTOR_EDITABLE)
        _save_validated(profile, exclude=["user"])
        if not user.has_role(Role.CONTRIBUTOR):
            role_grant(user=user, role=Role.CONTRIBUTOR, actor=user)
        if created:
            event_record(
                kind="contributor.profile_completed",
                actor_id=user.pk,
                subject=profile,
                country=str(profile.country),
            )
    return profile


def institution_create(*, user: User, data: Mapping[str, Any]) -> Institution:
    institution = Institution()
    _assign(institution, data, INSTITUTION_EDITABLE)
    with transaction.atomic():
        _save_validated(institution)
        InstitutionMembership.objects.create(
            institution=institution, user=user, role=InstitutionMembership.MemberRole.ADMIN
        )
        if not user.has_role(Role.INSTITUTION_REP):
            role_grant(user=user, role=Role.INSTITUTION_REP, actor=user)
        event_record(
            kind="institution.registered",
            actor_id=user.pk,
            subject=institution,
            province=institution.province,
        )
    return institution


def institution_update(
    *, user: User, institution: Institution, data: Mapping[str, Any]
) -> Institution:
    """``institution`` must come from ``institution_get_for_admin``."""
    _assign(institution, data, INSTITUTION_EDITABLE)
    _save_validated(institution)
    return institution


INVITATION_SALT = "rabta.accounts.institution-invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14


def institution_invite(*, actor: User, institution: Institution, email: str) -> None:
    """Invite someone to represent the institution.  The answer is the same whether or not the
    address has an account, so nobody can use this to find out who is registered; the invitee
    joins only by opening the link while signed in with that address.  ``institution`` must
    come from ``institution_get_for_admin``."""
    address = User.objects.normalize_email((email or "").strip()).lower()
    try:
        User._meta.get_field("email").run_validators(address)
    except ValidationError as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Enter a valid email address."),
            fields={"email": exc.messages},
        ) from exc
    if InstitutionMembership.objects.filter(
        institution=institution, user__email__iexact=address
    ).exists():
        return
    with transaction.atomic():
        invitation = InstitutionInvitation.objects.filter(
            institution=institution, email__iexact=address, accepted_at__isnull=True
        ).first()
        if invitation is None:
            invitation = InstitutionInvitation.objects.create(
                institution=institution, email=address, invited_by=actor
            )
        audit_record(
            actor=actor, action="institution.invited", target=institution, invitation=invitation.pk
        )
        task_enqueue(institution_invitation_send, invitation.pk)


def institution_invitation_read(*, token: str) -> InstitutionInvitation:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(
            ErrorCode.NOT_FOUND, _("This invitation link is invalid or has expired.")
        ) from exc
    invitation_id = data.get("i") if isinstance(data, dict) else None
    invitation = (
        InstitutionInvitation.objects.select_related("institution").filter(pk=invitation_id).first()
        if isinstance(invitation_id, int)
        else None
    )
    if invitation is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("This invitation link is invalid or has expired."))
    return invitation


def institution_invitation_accept(*, user: User, token: str) -> Institution:
    invitation = institution_invitation_read(token=token)
    if invitation.email.lower() != user.email.lower():
        raise DomainError(
            ErrorCode.FORBIDDEN,
            _("This invitation is for another email address. Sign in with that address."),
        )
    with transaction.atomic():
        _membership, created = InstitutionMembership.objects.get_or_create(
            institution=invitation.institution, user=user
        )
        if invitation.accepted_at is None:
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        if not user.has_role(Role.INSTITUTION_REP):
            role_grant(user=user, role=Role.INSTITUTION_REP, actor=user)
        if created:
            audit_record(actor=user, action="institution.joined", target=invitation.institution)
    return invitation.institution


# --- API tokens and personal data --------------------------------------------------------------


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Give the token a name of up to 80 characters."),
            fields={"name": [_("Required, 80 characters at most.")]},
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= 10:
        raise DomainError(ErrorCode.CONFLICT, _("Revoke a token before creating another."))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key)
    )
    audit_record(actor=user, action="api_token.created", target=token)
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    """``token`` must come from ``api_token_get_for_user``."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=token.user, action="api_token.revoked", target=token)


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything Rabta holds about the person, for them to download."""

    def plain(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: _json(getattr(instance, name)) for name in names}

    export: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "email_verified_at": _json(user.email_verified_at),
            "date_joined": _json(user.date_joined),
            "roles": sorted(user.role_names()),
        },
        "engineer_profile": None,
        "contributor_profile": None,
        "institutions": [
            {"name": m.institution.name, "role": m.role, "joined_at": _json(m.joined_at)}
            for m in InstitutionMembership.objects.filter(user=user).select_related("institution")
        ],
        "api_tokens": [
            {"name": t.name, "created_at": _json(t.created_at), "revoked_at": _json(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
    }
    engineer = EngineerProfile.objects.filter(user=user).first()
    if engineer is not None:
        export["engineer_profile"] = plain(
            engineer, (*ENGINEER_EDITABLE, "verification_state", "rejection_reason", "verified_at")
        )
    contributor = ContributorProfile.objects.filter(user=user).first()
    if contributor is not None:
        export["contributor_profile"] = plain(contributor, CONTRIBUTOR_EDITABLE)
    audit_record(actor=user, action="personal_data.exported", target=user)
    return export


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
