from __future__ import annotations

import contextlib
import hashlib
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rabta.accounts.reference import (
    PEC_NUMBER_MAX_LENGTH,
    Availability,
    Degree,
    Discipline,
    EmploymentStatus,
    Gender,
    InstitutionKind,
    Province,
)
from rabta.accounts.roles import PRIVILEGED_ROLES, Role
from rabta.accounts.validation import (
    clean_contribution_types,
    clean_district,
    clean_languages,
    clean_links,
    clean_pec_number,
    clean_sectors,
    clean_time_zone,
)
from rabta.core.models import TimeStampedModel


def _collect(errors: dict[str, list[str]], field: str, func: Any, *args: Any) -> Any:
    try:
        return func(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, email_verified_at=timezone.now())
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person.  Login is by email; the roles they hold are Django groups."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("name"), max_length=120)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # the zone times are shown in (blank: a contributor's own zone, else Pakistan's), and the
    # local hour the daily and weekly digests arrive
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"), default=8, validators=[MaxValueValidator(23)]
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May log in to the Django admin (two factors required)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def clean(self) -> None:
        super().clean()
        if self.time_zone:
            try:
                clean_time_zone(self.time_zone)
            except ValidationError as exc:
                raise ValidationError({"time_zone": exc.messages}) from exc

    @property
    def zone(self) -> ZoneInfo:
        """The zone this person reads times in: their own choice, else their contributor
        profile's, else the platform's (Pakistan)."""
        names = [self.time_zone]
        if not self.time_zone and self.pk:
            with contextlib.suppress(ContributorProfile.DoesNotExist):
                names.append(self.contributor_profile.time_zone)
        for name in names:
            if name:
                try:
                    return ZoneInfo(name)
                except (KeyError, ValueError):
                    continue
        return ZoneInfo(settings.TIME_ZONE)

    def role_names(self) -> set[str]:
        cache = getattr(self, "_role_names", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_names = cache
        return cache

    def has_role(self, role: str) -> bool:
        return role in self.role_names() or (self.is_superuser and role == Role.ADMINISTRATOR)

    @property
    def needs_two_factor(self) -> bool:
        return self.is_staff or self.is_superuser or bool(self.role_names() & PRIVILEGED_ROLES)


class VerificationState(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    PENDING = "pending", _("Pending review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class RegisterMatch(models.TextChoices):
    NONE = "", _("Not checked against the register")
    CONFIRMED = "confirmed", _("Register confirms number and name")
    NAME_DIFFERS = "name_differs", _("Number is in the register under another name")
    DISCIPLINE_DIFFERS = "discipline_differs", _("Register lists another discipline")
    NOT_CURRENT = "not_current", _("Register lists the number as not current")


class EngineerProfile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="engineer_profile")
    pec_number = models.CharField(_("PEC registration number"), max_length=PEC_NUMBER_MAX_LENGTH)
    verification_state = models.CharField(
        max_length=16, choices=VerificationState.choices, default=VerificationState.UNVERIFIED
    )
    rejection_reason = models.CharField(max_length=500, blank=True)
    register_match = models.CharField(
        max_length=20, choices=RegisterMatch.choices, default=RegisterMatch.NONE, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    discipline = models.CharField(_("discipline"), max_length=16, choices=Discipline.choices)
    degree = models.CharField(_("degree"), max_length=8, choices=Degree.choices)
    university = models.CharField(_("university"), max_length=160)
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"), validators=[MinValueValidator(1950), MaxValueValidator(2035)]
    )
    province = models.CharField(_("province"), max_length=40, choices=Province.choices)
    district = models.CharField(_("district"), max_length=48)
    country_of_residence = CountryField(_("country of residence"), default="PK")
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    gender_self_description = models.CharField(max_length=60, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    employment_status = models.CharField(
        _("employment status"), max_length=24, choices=EmploymentStatus.choices
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(
        _("short bio"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    links = models.JSONField(_("links"), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("pec_number", name="engineer_pec_number_unique")]
        indexes = [models.Index(fields=["verification_state", "updated_at"], name="eng_state_idx")]
        permissions = [
            ("verify_pec_number", "Can verify PEC registration numbers"),
            ("import_pec_register", "Can import the PEC register"),
        ]

    def __str__(self) -> str:
        return f"{self.pec_number} ({self.get_verification_state_display()})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        pec = _collect(errors, "pec_number", clean_pec_number, self.pec_number)
        if pec is not None:
            self.pec_number = pec
            if self.discipline and pec.split("/", 1)[0] != self.discipline:
                errors.setdefault("discipline", []).append(
                    str(_("The discipline must match the prefix of your PEC number."))
                )
        if self.province and self.district:
            _collect(errors, "district", clean_district, self.province, self.district)
        languages = _collect(errors, "languages", clean_languages, self.languages)
        if languages is not None:
            self.languages = languages
        links = _collect(errors, "links", clean_links, self.links)
        if links is not None:
            self.links = links
        if self.gender != Gender.SELF_DESCRIBED:
            self.gender_self_description = ""
        if errors:
            raise ValidationError(errors)


class ContributorProfile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="contributor_profile")
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=64)
    employer = models.CharField(_("employer"), max_length=160, blank=True)
    sectors = models.JSONField(_("sectors"), default=list)
    contribution_types = models.JSONField(_("contributions offered"), default=list)
    capacity = models.PositiveSmallIntegerField(
        _("people at a time"), default=2, validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month"), default=4, validators=[MinValueValidator(0), MaxValueValidator(160)]
    )
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default="available"
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # ESCO skill URIs the contributor can guide others in (edited in the Brain Gain portal).
    skills = models.JSONField(_("skills"), default=list, blank=True)
    # Places in use: accepted mentorships, supervisions and engagements not yet finished.
    # Changed only through rabta.core.locking, never above ``capacity``.
    active_count = models.PositiveSmallIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return f"{self.user} ({self.city}, {self.country})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.time_zone:
            _collect(errors, "time_zone", clean_time_zone, self.time_zone)
        sectors = _collect(errors, "sectors", clean_sectors, self.sectors)
        if sectors is not None:
            self.sectors = sectors
        kinds = _collect(
            errors, "contribution_types", clean_contribution_types, self.contribution_types
        )
        if kinds is not None:
            self.contribution_types = kinds
        languages = _collect(errors, "languages", clean_languages, self.languages)
        if languages is not None:
            self.languages = languages
        if self.availability == Availability.AVAILABLE:
            self.paused_until = None
        if self.capacity is not None and self.capacity < self.active_count:
            errors.setdefault("capacity", []).append(
                str(
                    _(
                        "You are supporting %(n)d people now; capacity cannot go below that "
                        "until one of them finishes."
                    )
                    % {"n": self.active_count}
                )
            )
        if errors:
            raise ValidationError(errors)


class Institution(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    city = models.CharField(_("city"), max_length=80)
    province = models.CharField(_("province"), max_length=40, choices=Province.choices)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        User, through="InstitutionMembership", related_name="institutions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "city", name="institution_name_city_unique")
        ]

    def __str__(self) -> str:
        return self.name


class InstitutionMembership(models.Model):
    class MemberRole(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    role = models.CharField(max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("institution", "user", name="membership_unique")]


class InstitutionInvitation(models.Model):
    """An invitation to represent an institution, accepted by the invitee from a signed link.
    Nobody is added to an institution without saying yes."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("institution", Lower("email"), name="invitation_unique")
        ]


class PecRegisterEntry(TimeStampedModel):
    """A row of the council's register of engineers, as imported.  The registered name is kept
    only as a keyed digest (see ``rabta.accounts.register.name_digest``): enough to check that
    the person claiming a number is the person it was issued to, without storing the name."""

    pec_number = models.CharField(max_length=PEC_NUMBER_MAX_LENGTH, unique=True)
    discipline = models.CharField(max_length=16, choices=Discipline.choices)
    in_good_standing = models.BooleanField(default=True)
    name_digest = models.CharField(max_length=64, blank=True)


class PecRegisterImport(models.Model):
    """One accepted import of the register; the file digest makes re-runs idempotent."""

    sha256 = models.CharField(max_length=64, unique=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    row_count = models.PositiveIntegerField()
    created_count = models.PositiveIntegerField()
    updated_count = models.PositiveIntegerField()
    verified_count = models.PositiveIntegerField()


class ApiToken(models.Model):
    """A personal token for integrations.  Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    KEY_PREFIX = "rbt_"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.KEY_PREFIX + secrets.token_urlsafe(32)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
