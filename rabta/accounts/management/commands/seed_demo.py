"""Deterministic demo data for every role: ``python manage.py seed_demo``.

Runs once: a second call sees the demo accounts and does nothing (``--force`` is not offered on
purpose; drop the database to start over).  10,000 engineers seed in well under a minute
because rows are bulk-inserted and every demo password shares one precomputed hash.
"""

from __future__ import annotations

import io
import random
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.demo import (
    CONTRIBUTOR_CITIES,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_STAFF_TOTP_KEY,
    DEMO_STAFF_TOTP_KEY_B32,
    FEMALE_NAMES,
    INSTITUTIONS,
    MALE_NAMES,
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
from rabta.braingain.demo import seed_braingain
from rabta.community.demo import seed_community
from rabta.core.models import Event
from rabta.portfolio.demo import seed_portfolios
from rabta.profiling.demo import seed_profiling

# Shares of engineers by province, roughly those of PEC's register.
PROVINCE_WEIGHTS = {
    Province.PUNJAB: 52,
    Province.SINDH: 20,
    Province.KHYBER_PAKHTUNKHWA: 14,
    Province.BALOCHISTAN: 4,
    Province.ISLAMABAD: 6,
    Province.GILGIT_BALTISTAN: 2,
    Province.AJK: 2,
}
DISCIPLINE_WEIGHTS = {
    Discipline.CIVIL: 26,
    Discipline.ELECTRICAL: 24,
    Discipline.MECHANICAL: 16,
    Discipline.ELECTRONICS: 5,
    Discipline.CHEMICAL: 5,
    Discipline.COMPUTER: 5,
    Discipline.SOFTWARE: 4,
    Discipline.TELECOM: 3,
    Discipline.MECHATRONICS: 2,
    Discipline.INDUSTRIAL: 2,
    Discipline.AGRICULTURAL: 2,
    Discipline.BIOMEDICAL: 1,
    Discipline.ENVIRONMENTAL: 1,
    Discipline.PETROLEUM: 1,
    Discipline.METALLURGY: 1,
    Discipline.MINING: 1,
    Discipline.TEXTILE: 1,
    Discipline.AEROSPACE: 1,
    Discipline.TRANSPORTATION: 1,
    Discipline.URBAN: 1,
    Discipline.POLYMER: 1,
    Discipline.GEOLOGICAL: 1,
    Discipline.CERAMIC: 1,
    Discipline.MARINE: 1,
    Discipline.NUCLEAR: 1,
}


class Command(BaseCommand):
    help = "Load deterministic demo data for every role (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engineers", type=int, default=10_000)
        parser.add_argument("--contributors", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--i-know-this-is-not-production", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG "
                "on (or --i-know-this-is-not-production)."
            )
        if User.objects.filter(email=f"engineer@{DEMO_DOMAIN}").exists():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            self._print_logins()
            return
        started = time.perf_counter()
        rng = random.Random(options["seed"])
        password_hash = make_password(DEMO_PASSWORD)
        with transaction.atomic():
            groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
            self._named_accounts(password_hash, groups)
            engineers = self._engineers(rng, options["engineers"], password_hash, groups)
            contributors = self._contributors(rng, options["contributors"], password_hash, groups)
            self._institutions(rng, password_hash, groups)
            applied = self._cohorts(rng)
            assessed, posted = seed_profiling(rng)
            portfolios = seed_portfolios(rng)
            brain_gain = seed_braingain(rng)
            community = seed_community(rng)
            # the dashboards' rollups (insights reads everyone; nothing imports insights)
            call_command("seed_insights", stdout=io.StringIO())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {engineers} engineers, {contributors} contributors and "
                f"{len(INSTITUTIONS)} institutions, {applied} applications, {assessed} "
                f"assessments, {portfolios} portfolios, {posted} job postings and "
                f"{brain_gain['asks']} Brain Gain asks, {community['chapters']} chapters and "
                f"{community['honours']} Hall of Fame members in {elapsed:.1f} s."
            )
        )
        self._print_logins()

    # --- named accounts, one per role ---------------------------------------------------------

    def _named_accounts(self, password_hash: str, groups: dict[str, Group]) -> None:
        now = timezone.now()
        named = [
            ("engineer", "Ayesha Siddiqui", [Role.ENGINEER]),
            ("contributor", "Dr. Imran Qureshi", [Role.CONTRIBUTOR]),
            ("institution", "Prof. Farah Naz", [Role.INSTITUTION_REP]),
            ("staff", "Usman Tariq", [Role.PROGRAMME_STAFF]),
            ("analyst", "Sana Malik", [Role.COUNCIL_ANALYST]),
            ("admin", "Bilal Ahmed", [Role.ADMINISTRATOR]),
            ("moderator", "Nadia Hussain", [Role.MODERATOR]),
        ]
        for local, name, roles in named:
            user = User.objects.create(
                email=f"{local}@{DEMO_DOMAIN}",
                display_name=name,
                password=password_hash,
                email_verified_at=now,
                is_staff=Role.ADMINISTRATOR in roles,
                is_superuser=Role.ADMINISTRATOR in roles,
            )
            user.groups.set([groups[role.value] for role in roles])
            if set(roles) & {Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST, Role.ADMINISTRATOR}:
                TOTPDevice.objects.create(
                    user=user, name="Demo authenticator", key=DEMO_STAFF_TOTP_KEY, confirmed=True
                )
        engineer = User.objects.get(email=f"engineer@{DEMO_DOMAIN}")
        EngineerProfile.objects.create(
            user=engineer,
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
        contributor = User.objects.get(email=f"contributor@{DEMO_DOMAIN}")
        ContributorProfile.objects.create(
            user=contributor,
            country="CA",
            city="Toronto",
            time_zone="America/Toronto",
            employer="Hydro One",
            sectors=["power", "renewable_energy"],
            contribution_types=["mentoring", "fyp_supervision"],
            capacity=3,
            hours_per_month=6,
        )

    # --- engineers ------------------------------------------------------------------------

    def _engineers(
        self, rng: random.Random, count: int, password_hash: str, groups: dict[str, Group]
    ) -> int:
        provinces = list(PROVINCE_WEIGHTS)
        province_weights = list(PROVINCE_WEIGHTS.values())
        disciplines = list(DISCIPLINE_WEIGHTS)
        discipline_weights = list(DISCIPLINE_WEIGHTS.values())
        districts_of = {p: [d.code for d in districts_in(p)] for p in provinces}
        now = timezone.now()
        users, profiles, register, events = [], [], [], []
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
            User.objects.filter(
                email__startswith="engineer0", email__endswith=DEMO_DOMAIN
            ).order_by("email")
        )
        membership = User.groups.through
        membership.objects.bulk_create(
            [membership(user_id=u.pk, group_id=groups[Role.ENGINEER].pk) for u in created],
            batch_size=5000,
        )
        states = (
            [VerificationState.VERIFIED] * 7
            + [VerificationState.PENDING] * 2
            + [VerificationState.REJECTED]
        )
        for n, user in enumerate(created, start=1):
            woman_name = user.display_name.split(" ")[0] in FEMALE_NAMES
            province = rng.choices(provinces, province_weights)[0]
            discipline = rng.choices(disciplines, discipline_weights)[0]
            number = f"{discipline}/{10000 + n}"
            state = rng.choice(states)
            year = rng.randint(1995, 2025)
            gender = Gender.WOMAN if woman_name else Gender.MAN
            if rng.random() < 0.06:
                gender = Gender.UNDISCLOSED
            profiles.append(
                EngineerProfile(
                    user=user,
                    pec_number=number,
                    verification_state=state,
                    verified_at=now if state == VerificationState.VERIFIED else None,
                    register_match="confirmed" if state == VerificationState.VERIFIED else "",
                    rejection_reason=(
                        "The PEC number does not match the name on the register; "
                        "upload your PEC card."
                    )
                    if state == VerificationState.REJECTED
                    else "",
                    discipline=discipline,
                    degree=rng.choices(
                        [Degree.BE, Degree.ME, Degree.BSET, Degree.PHD], [70, 20, 7, 3]
                    )[0],
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
            )
            if state == VerificationState.VERIFIED:
                register.append(
                    PecRegisterEntry(
                        pec_number=number,
                        discipline=discipline,
                        name_digest=name_digest(user.display_name),
                    )
                )
        EngineerProfile.objects.bulk_create(profiles, batch_size=2000)
        PecRegisterEntry.objects.bulk_create(register, batch_size=5000)
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
            events.append(
                Event(
                    kind="engineer.profile_completed",
                    subject_type="accounts.engineerprofile",
                    subject_id=profile.pk,
                    **dims,
                )
            )
            if profile.verification_state == VerificationState.VERIFIED:
                events.append(
                    Event(
                        kind="engineer.pec_verified",
                        subject_type="accounts.engineerprofile",
                        subject_id=profile.pk,
                        **dims,
                    )
                )
        Event.objects.bulk_create(events, batch_size=5000)
        return len(created)

    # --- contributors ------------------------------------------------------------------------

    def _contributors(
        self, rng: random.Random, count: int, password_hash: str, groups: dict[str, Group]
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

    # --- institutions --------------------------------------------------------------------

    def _institutions(
        self, rng: random.Random, password_hash: str, groups: dict[str, Group]
    ) -> None:
        rep = User.objects.get(email=f"institution@{DEMO_DOMAIN}")
        for n, (name, kind, city, province) in enumerate(INSTITUTIONS):
            institution = Institution.objects.create(
                name=name, kind=kind, city=city, province=province
            )
            if n < 3:
                InstitutionMembership.objects.create(
                    institution=institution, user=rep, role=InstitutionMembership.MemberRole.ADMIN
                )
            else:
                member = User.objects.create(
                    email=f"institution{n:02d}@{DEMO_DOMAIN}",
                    display_name=f"{rng.choice(MALE_NAMES + FEMALE_NAMES)} {rng.choice(SURNAMES)}",
                    password=password_hash,
                    email_verified_at=timezone.now(),
                )
                member.groups.add(groups[Role.INSTITUTION_REP])
                InstitutionMembership.objects.create(
                    institution=institution,
                    user=member,
                    role=InstitutionMembership.MemberRole.ADMIN,
                )

    # --- cohorts --------------------------------------------------------------------------

    def _cohorts(self, rng: random.Random) -> int:
        """The first cohort (13-17 April 2026, fair allocation, already allocated) and the
        next one, open for applications now on a first-come basis."""
        from rabta.programme.models import AllocationPolicy, Application, Cohort
        from rabta.programme.services import allocation_run

        tz = ZoneInfo("Asia/Karachi")
        first = Cohort.objects.create(
            name="Freelance Initiative — first cohort",
            slug="first-cohort-april-2026",
            starts_on=date(2026, 4, 13),
            ends_on=date(2026, 4, 17),
            seats=5000,
            applications_open_at=datetime(2026, 3, 2, 9, tzinfo=tz),
            applications_close_at=datetime(2026, 3, 23, 17, tzinfo=tz),
            policy=AllocationPolicy.FAIR,
        )
        now = timezone.now()
        Cohort.objects.create(
            name="Freelance Initiative — second cohort",
            slug="second-cohort-2027",
            starts_on=date(2027, 1, 18),
            ends_on=date(2027, 1, 22),
            seats=5000,
            applications_open_at=now - timedelta(days=3),
            applications_close_at=now + timedelta(days=30),
            policy=AllocationPolicy.FIRST_COME,
        )
        applicants = list(
            EngineerProfile.objects.exclude(verification_state=VerificationState.REJECTED)
            .exclude(user__email=f"engineer@{DEMO_DOMAIN}")
            .values_list("user_id", "province", "gender", "years_experience")
        )
        chosen = [row for row in applicants if rng.random() < 0.8]
        window = (first.applications_close_at - first.applications_open_at).total_seconds()
        motivations = [
            "I design steel structures and want my first international client.",
            "Extra income from BIM work without leaving my job.",
            "I want to sell solar PV design services abroad.",
            "PLC programming gigs in the Gulf market.",
        ]
        Application.objects.bulk_create(
            [
                Application(
                    cohort=first,
                    user_id=user_id,
                    state="submitted",
                    motivation=rng.choice(motivations),
                    hours_per_week=rng.choice([5, 10, 15]),
                    employment=rng.choice(["employed", "self_employed", "seeking", "student"]),
                    consent=True,
                    submitted_at=first.applications_open_at
                    + timedelta(seconds=window * rng.random() ** 3),
                    province=province,
                    gender=gender,
                    early_career=years <= 3,
                )
                for user_id, province, gender, years in chosen
            ],
            batch_size=2000,
        )
        staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
        allocation_run(
            actor=staff,
            cohort_id=first.pk,
            seed=20260413,
            commit=True,
            now=first.applications_close_at + timedelta(days=1),
            notify=False,
        )
        # The first cohort has run: most offers were confirmed, a few declined.
        offered = list(
            Application.objects.filter(cohort=first, state="offered").values_list("pk", flat=True)
        )
        declined = {pk for pk in offered if rng.random() < 0.04}
        Application.objects.filter(pk__in=declined).update(state="declined")
        Application.objects.filter(cohort=first, state="offered").update(state="confirmed")
        self._cohort_delivery(rng, first, staff)
        return len(chosen)

    def _cohort_delivery(self, rng: random.Random, cohort: Any, staff: User) -> None:
        """The first cohort's week: timetable, groups, room links, attendance (some absences
        excused after power cuts) and certificates."""
        from rabta.programme.certificates import certificates_issue
        from rabta.programme.models import Application, Attendance, JoinLink
        from rabta.programme.sessions import groups_assign, timetable_create

        sessions = timetable_create(actor=staff, cohort_id=cohort.pk)
        groups = groups_assign(actor=staff, cohort_id=cohort.pk)
        JoinLink.objects.bulk_create(
            [
                JoinLink(
                    session=session,
                    group_number=group,
                    url=f"https://zoom.us/j/8{session.pk:04d}{group:02d}0000",
                )
                for session in sessions
                for group in range(1, groups + 1)
            ]
        )
        for session in sessions:
            session.recording_url = f"https://recordings.pec.org.pk/rabta/{session.pk}"
            session.check_questions = [
                {
                    "question": "Which deliverable should a first milestone fund?",
                    "options": ["Everything at the end", "A small, defined first part"],
                    "answer": 1,
                },
                {
                    "question": "A client asks you to move to WhatsApp and pay outside the "
                    "platform. What do you do?",
                    "options": ["Stay on the platform", "Move to WhatsApp"],
                    "answer": 0,
                },
                {
                    "question": "What makes a portfolio item credible?",
                    "options": ["A measurable outcome", "A long description"],
                    "answer": 0,
                },
            ]
            session.save(update_fields=["recording_url", "check_questions"])
        rows = []
        for application_id in Application.objects.filter(
            cohort=cohort, state="confirmed"
        ).values_list("pk", flat=True):
            keen = rng.random()
            for session in sessions:
                minutes = 0 if rng.random() > 0.7 + keen * 0.3 else rng.randint(85, 120)
                rows.append(
                    Attendance(
                        session=session,
                        application_id=application_id,
                        minutes=minutes,
                        present=minutes >= 90,
                        source="zoom",
                    )
                )
        Attendance.objects.bulk_create(rows, batch_size=5000)
        certificates_issue(cohort_id=cohort.pk)

    def _print_logins(self) -> None:
        self.stdout.write("\nDemo logins (password for all: " + DEMO_PASSWORD + "):")
        for local, role in [
            ("engineer", "engineer"),
            ("contributor", "overseas contributor"),
            ("institution", "institution representative"),
            ("staff", "programme staff"),
            ("analyst", "council analyst"),
            ("admin", "administrator"),
            ("moderator", "community moderator"),
        ]:
            self.stdout.write(f"  {role:28} {local}@{DEMO_DOMAIN}")
        self.stdout.write(
            "Staff, analyst and admin also need a code from an authenticator app: add the key "
            f"{DEMO_STAFF_TOTP_KEY_B32} to your app,\nor run `make totp` to print the current code."
        )
