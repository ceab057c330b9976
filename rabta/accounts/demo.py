"""The accounts part of the demo: one named account per role, thousands of engineers and
hundreds of contributors with their profiles, and the institutions.  Called by the site's
``seed_demo``; rows are bulk-inserted and every demo password shares one precomputed hash, so
10,000 engineers seed in seconds.  Deterministic for a given random generator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.demo_material import (
    CONTRIBUTOR_CITIES,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_STAFF_TOTP_KEY,
    DEMO_STAFF_TOTP_KEY_B32,
    DISCIPLINE_WEIGHTS,
    FEMALE_NAMES,
    INSTITUTIONS,
    MALE_NAMES,
    NAMED_ACCOUNTS,
    PROVINCE_WEIGHTS,
    SURNAMES,
    UNIVERSITIES,
)
from rabta.accounts.models import (
    ContributorProfile,
    EngineerProfile,
    Institution,
    InstitutionMembership,
    PecRegisterEntry,
    User,
    VerificationState,
)
from rabta.accounts.reference import (
    ContributionType,
    Degree,
    Discipline,
    EmploymentStatus,
    Gender,
    Language,
    Province,
    Sector,
    districts_in,
)
from rabta.accounts.register import name_digest
from rabta.accounts.roles import Role
from rabta.core.models import Event

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_STAFF_TOTP_KEY",
    "DEMO_STAFF_TOTP_KEY_B32",
    "INSTITUTIONS",
    "NAMED_ACCOUNTS",
    "AccountsSeeded",
    "demo_loaded",
    "seed_accounts",
]

_PRIVILEGED = {Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST, Role.ADMINISTRATOR}
# Seven in ten demo numbers are verified, two wait for review, one was rejected.
_STATES = (
    [VerificationState.VERIFIED] * 7
    + [VerificationState.PENDING] * 2
    + [VerificationState.REJECTED]
)


@dataclass(frozen=True)
class AccountsSeeded:
    engineers: int
    contributors: int
    institutions: int


def demo_loaded() -> bool:
    """True once the demo accounts exist (the demo seeds once)."""
    return User.objects.filter(email=f"engineer@{DEMO_DOMAIN}").exists()


def seed_accounts(rng: random.Random, *, engineers: int, contributors: int) -> AccountsSeeded:
    password_hash = make_password(DEMO_PASSWORD)
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    _named_accounts(password_hash, groups)
    engineer_count = _engineers(rng, engineers, password_hash, groups)
    contributor_count = _contributors(rng, contributors, password_hash, groups)
    _institutions(rng, password_hash, groups)
    return AccountsSeeded(engineer_count, contributor_count, len(INSTITUTIONS))


# --- named accounts, one per role --------------------------------------------------------------


def _named_accounts(password_hash: str, groups: dict[str, Group]) -> None:
    now = timezone.now()
    for local, name, roles, _role_label in NAMED_ACCOUNTS:
        user = User.objects.create(
            email=f"{local}@{DEMO_DOMAIN}",
            display_name=name,
            password=password_hash,
            email_verified_at=now,
            is_staff=Role.ADMINISTRATOR in roles,
            is_superuser=Role.ADMINISTRATOR in roles,
        )
        user.groups.set([groups[role.value] for role in roles])
        if set(roles) & _PRIVILEGED:
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=DEMO_STAFF_TOTP_KEY, confirmed=True
            )
    EngineerProfile.objects.create(
        user=User.objects.get(email=f"engineer@{DEMO_DOMAIN}"),
        pec_number="CIVIL/70123",
        verification_state=VerificationState.VERIFIED,
        verified_at=now,
        discipline=Discipline.CIVIL,
        degree=Degree.BE,
        university="NED University of Engineering and Technology",
        graduation_year=2021,
        province=Province.SINDH,
        district="sd-karachi-east",
        gender=Gender.WOMAN,
        years_experience=3,
        employment_status=EmploymentStatus.EMPLOYED_FULL_TIME,
        languages=["en", "ur"],
        bio="Structural design engineer; ETABS and SAFE.",
    )
    ContributorProfile.objects.create(
        user=User.objects.get(email=f"contributor@{DEMO_DOMAIN}"),
        country="CA",
        city="Toronto",
        time_zone="America/Toronto",
        employer="Hydro One",
        sectors=["power", "renewable_energy"],
        contribution_types=["mentoring", "fyp_supervision"],
        capacity=3,
        hours_per_month=6,
    )


# --- engineers ---------------------------------------------------------------------------------


def _engineer_users(
    rng: random.Random, count: int, password_hash: str, group: Group, now: datetime
) -> list[User]:
    users = []
    for n in range(1, count + 1):
        woman = rng.random() < 0.21
        first = rng.choice(FEMALE_NAMES if woman else MALE_NAMES)
        users.append(
            User(
                email=f"engineer{n:06d}@{DEMO_DOMAIN}",
                display_name=f"{first} {rng.choice(SURNAMES)}",
                password=password_hash,
                preferred_language=rng.choice(("en", "en", "ur")),
                email_verified_at=now - timedelta(days=rng.randint(0, 200)),
                date_joined=now - timedelta(days=rng.randint(1, 400)),
            )
        )
    User.objects.bulk_create(users, batch_size=2000)
    created = list(
        User.objects.filter(email__startswith="engineer0", email__endswith=DEMO_DOMAIN).order_by(
            "email"
        )
    )
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=u.pk, group_id=group.pk) for u in created], batch_size=5000
    )
    return created


def _engineer_profile(
    rng: random.Random, n: int, user: User, districts_of: dict[str, list[str]], now: datetime
) -> EngineerProfile:
    woman_name = user.display_name.split(" ")[0] in FEMALE_NAMES
    province = rng.choices(list(PROVINCE_WEIGHTS), list(PROVINCE_WEIGHTS.values()))[0]
    discipline = rng.choices(list(DISCIPLINE_WEIGHTS), list(DISCIPLINE_WEIGHTS.values()))[0]
    state = rng.choice(_STATES)
    year = rng.randint(1995, 2025)
    gender = Gender.WOMAN if woman_name else Gender.MAN
    if rng.random() < 0.06:
        gender = Gender.UNDISCLOSED
    return EngineerProfile(
        user=user,
        pec_number=f"{discipline}/{10000 + n}",
        verification_state=state,
        verified_at=now if state == VerificationState.VERIFIED else None,
        register_match="confirmed" if state == VerificationState.VERIFIED else "",
        rejection_reason=(
            "The PEC number does not match the name on the register; upload your PEC card."
        )
        if state == VerificationState.REJECTED
        else "",
        discipline=discipline,
        degree=rng.choices([Degree.BE, Degree.ME, Degree.BSET, Degree.PHD], [70, 20, 7, 3])[0],
        university=rng.choice(UNIVERSITIES),
        graduation_year=year,
        province=province,
        district=rng.choice(districts_of[province]),
        gender=gender,
        years_experience=max(0, min(60, 2026 - year - rng.randint(0, 2))),
        employment_status=rng.choice(EmploymentStatus.values),
        languages=sorted({"en", "ur", rng.choice(Language.values[:12])}),
        bio="",
        links=[],
    )


def _engineer_events(created: list[User]) -> None:
    """The events the engineers' services would have written: profile completed, verified."""
    events = []
    for profile in (
        EngineerProfile.objects.filter(user__in=created)
        .only("pk", "province", "district", "gender", "discipline", "verification_state")
        .iterator(chunk_size=5000)
    ):
        dims = {
            "province": profile.province,
            "district": profile.district,
            "gender": profile.gender,
            "discipline": profile.discipline,
        }
        kinds = ["engineer.profile_completed"]
        if profile.verification_state == VerificationState.VERIFIED:
            kinds.append("engineer.pec_verified")
        events += [
            Event(kind=kind, subject_type="accounts.engineerprofile", subject_id=profile.pk, **dims)
            for kind in kinds
        ]
    Event.objects.bulk_create(events, batch_size=5000)


def _engineers(rng: random.Random, count: int, password_hash: str, groups: dict[str, Group]) -> int:
    districts_of = {str(p): [d.code for d in districts_in(p)] for p in PROVINCE_WEIGHTS}
    now = timezone.now()
    created = _engineer_users(rng, count, password_hash, groups[Role.ENGINEER], now)
    profiles = [
        _engineer_profile(rng, n, user, districts_of, now)
        for n, user in enumerate(created, start=1)
    ]
    EngineerProfile.objects.bulk_create(profiles, batch_size=2000)
    PecRegisterEntry.objects.bulk_create(
        [
            PecRegisterEntry(
                pec_number=profile.pec_number,
                discipline=profile.discipline,
                name_digest=name_digest(profile.user.display_name),
            )
            for profile in profiles
            if profile.verification_state == VerificationState.VERIFIED
        ],
        batch_size=5000,
    )
    _engineer_events(created)
    return len(created)


# --- contributors and institutions -------------------------------------------------------------


def _contributors(
    rng: random.Random, count: int, password_hash: str, groups: dict[str, Group]
) -> int:
    now = timezone.now()
    users = []
    for n in range(1, count + 1):
        woman = rng.random() < 0.2
        first = rng.choice(FEMALE_NAMES if woman else MALE_NAMES)
        title = "Dr. " if rng.random() < 0.3 else ""
        users.append(
            User(
                email=f"contributor{n:05d}@{DEMO_DOMAIN}",
                display_name=f"{title}{first} {rng.choice(SURNAMES)}",
                password=password_hash,
                email_verified_at=now,
            )
        )
    User.objects.bulk_create(users, batch_size=2000)
    created = list(User.objects.filter(email__startswith="contributor0").order_by("email"))
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=u.pk, group_id=groups[Role.CONTRIBUTOR].pk) for u in created]
    )
    profiles, events = [], []
    for n, user in enumerate(created):
        country, city, tz, employer = CONTRIBUTOR_CITIES[n % len(CONTRIBUTOR_CITIES)]
        paused = rng.random() < 0.1
        profiles.append(
            ContributorProfile(
                user=user,
                country=country,
                city=city,
                time_zone=tz,
                employer=employer,
                sectors=rng.sample(Sector.values, k=rng.randint(1, 3)),
                contribution_types=rng.sample(ContributionType.values, k=rng.randint(1, 3)),
                capacity=rng.randint(1, 5),
                hours_per_month=rng.choice([2, 4, 6, 8, 10]),
                availability="paused" if paused else "available",
            )
        )
        events.append(Event(kind="contributor.profile_completed", country=country))
    ContributorProfile.objects.bulk_create(profiles, batch_size=2000)
    Event.objects.bulk_create(events)
    return len(created)


def _institutions(rng: random.Random, password_hash: str, groups: dict[str, Group]) -> None:
    """The named representative runs the first three; each other one has its own."""
    rep = User.objects.get(email=f"institution@{DEMO_DOMAIN}")
    for n, (name, kind, city, province) in enumerate(INSTITUTIONS):
        institution = Institution.objects.create(name=name, kind=kind, city=city, province=province)
        if n < 3:
            member = rep
        else:
            member = User.objects.create(
                email=f"institution{n:02d}@{DEMO_DOMAIN}",
                display_name=f"{rng.choice(MALE_NAMES + FEMALE_NAMES)} {rng.choice(SURNAMES)}",
                password=password_hash,
                email_verified_at=timezone.now(),
            )
            member.groups.add(groups[Role.INSTITUTION_REP])
        InstitutionMembership.objects.create(
            institution=institution, user=member, role=InstitutionMembership.MemberRole.ADMIN
        )
