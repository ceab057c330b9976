"""The programme part of the demo: the first cohort (13-17 April 2026, fair allocation,
already run: timetable, groups, attendance and certificates) and the next one, open for
applications now on a first-come basis.  Called by the site's ``seed_demo`` after the accounts
are seeded; deterministic for a given random generator."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from rabta.accounts.demo import DEMO_DOMAIN
from rabta.accounts.models import EngineerProfile, User, VerificationState
from rabta.programme import services, states
from rabta.programme.events import application_dimensions
from rabta.programme.models import (
    AllocationPolicy,
    Application,
    Attendance,
    Cohort,
    Excuse,
    ExcuseReason,
    ExcuseState,
    JoinLink,
    LiveSession,
)

MOTIVATIONS = [
    "I design steel structures and want my first international client.",
    "Extra income from BIM work without leaving my job.",
    "I want to sell solar PV design services abroad.",
    "PLC programming gigs in the Gulf market.",
]
CHECK_QUESTIONS = [
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


PILOT_ANSWERS = {
    "motivation": "Evenings are when the power is on and the connection is steady.",
    "hours_per_week": 10,
    "employment": "employed",
    "consent": True,
}


def seed_programme(rng: random.Random) -> int:
    """Both cohorts; returns how many engineers applied to the first."""
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
    second = Cohort.objects.create(
        name="Freelance Initiative — second cohort",
        slug="second-cohort-2027",
        starts_on=date(2027, 1, 18),
        ends_on=date(2027, 1, 22),
        seats=5000,
        applications_open_at=now - timedelta(days=3),
        applications_close_at=now + timedelta(days=30),
        policy=AllocationPolicy.FIRST_COME,
    )
    applied = _applications(rng, first)
    engineer = User.objects.get(email=f"engineer@{DEMO_DOMAIN}")
    _engineer_applied(engineer, first)
    staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
    services.allocation_run(
        actor=staff,
        cohort_id=first.pk,
        seed=20260413,
        commit=True,
        now=first.applications_close_at + timedelta(days=1),
        notify=False,
    )
    # The first cohort has run: most offers were confirmed, a few declined, each batch through
    # the programme's machine (audited, with its events).
    _engineer_offered(engineer, first)
    offered = list(
        Application.objects.select_related("cohort")
        .filter(cohort=first, state="offered")
        .exclude(user=engineer)
    )
    # the named engineer is seated (below); drawn before, so the others' draws are unchanged
    declined = [application for application in offered if rng.random() < 0.04]
    chosen = {application.pk for application in declined}
    for action, batch in (
        ("declined", declined),
        (
            "seated",
            [application for application in offered if application.pk not in chosen]
            + list(
                Application.objects.select_related("cohort").filter(cohort=first, user=engineer)
            ),
        ),
    ):
        states.transition_many(
            states.APPLICATION,
            batch,
            action,
            part="applicant",
            actor=None,
            dimensions=application_dimensions,
        )
    _delivery(rng, first, staff, engineer)
    _engineer_next_cohort(engineer, second)
    _offer_lapsing()
    return applied + 1


def _engineer_applied(engineer: User, cohort: Cohort) -> None:
    """The named engineer applied to the first cohort early in its window (so that the demo
    shows a participant's whole journey: seat, sessions, an excused outage, certificate)."""
    profile = EngineerProfile.objects.get(user=engineer)
    Application.objects.create(
        cohort=cohort,
        user=engineer,
        state="submitted",
        motivation=MOTIVATIONS[0],
        hours_per_week=10,
        employment="employed",
        consent=True,
        submitted_at=cohort.applications_open_at + timedelta(hours=2),
        province=profile.province,
        gender=profile.gender,
        district=profile.district,
        discipline=profile.discipline,
        early_career=profile.years_experience <= cohort.early_career_max_years,
    )


def _engineer_offered(engineer: User, cohort: Cohort) -> None:
    """Had the lottery left the named engineer waiting, a seat freed by a decline goes to her
    (the demo's declines below keep their seats counted, so the counter stays within seats)."""
    application = Application.objects.select_related("cohort").get(cohort=cohort, user=engineer)
    if application.state == "waitlisted":
        states.transition(
            states.APPLICATION,
            application,
            "offered",
            part="system",
            actor=None,
            dimensions=application_dimensions(application),
        )


def _engineer_next_cohort(engineer: User, cohort: Cohort) -> None:
    """The named engineer also holds an offer in the open cohort, to confirm in the demo; it
    stays open until the window closes rather than lapsing in three days."""
    application, _created = services.application_submit(
        user=engineer, cohort_id=cohort.pk, data=PILOT_ANSWERS
    )
    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=cohort.applications_close_at
    )


def _offer_lapsing() -> None:
    """A one-seat pilot cohort whose offer lapses three minutes after the demo starts: the
    scheduler expires it and offers the seat to the engineer waiting behind, who is emailed
    (see `make run`'s mail log)."""
    now = timezone.now()
    pilot = Cohort.objects.create(
        name="Evening pilot cohort",
        slug="evening-pilot",
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=44)).date(),
        seats=1,
        applications_open_at=now - timedelta(days=2),
        applications_close_at=now + timedelta(days=10),
        policy=AllocationPolicy.FIRST_COME,
        offer_days=2,
    )
    late, patient = (
        EngineerProfile.objects.filter(verification_state=VerificationState.VERIFIED)
        .exclude(user__email=f"engineer@{DEMO_DOMAIN}")
        .order_by("-pk")
        .values_list("user_id", flat=True)[:2]
    )
    for user_id in (late, patient):
        services.application_submit(
            user=User.objects.get(pk=user_id), cohort_id=pilot.pk, data=PILOT_ANSWERS
        )
    Application.objects.filter(cohort=pilot, user_id=late).update(
        offer_expires_at=now + timedelta(minutes=3)
    )


def _applications(rng: random.Random, cohort: Cohort) -> int:
    """Four in five engineers with an open or verified number apply, most near the deadline."""
    applicants = list(
        EngineerProfile.objects.exclude(verification_state=VerificationState.REJECTED)
        .exclude(user__email=f"engineer@{DEMO_DOMAIN}")
        .values_list("user_id", "province", "gender", "years_experience")
    )
    chosen = [row for row in applicants if rng.random() < 0.8]
    window = (cohort.applications_close_at - cohort.applications_open_at).total_seconds()
    Application.objects.bulk_create(
        [
            Application(
                cohort=cohort,
                user_id=user_id,
                state="submitted",
                motivation=rng.choice(MOTIVATIONS),
                hours_per_week=rng.choice([5, 10, 15]),
                employment=rng.choice(["employed", "self_employed", "seeking", "student"]),
                consent=True,
                submitted_at=cohort.applications_open_at
                + timedelta(seconds=window * rng.random() ** 3),
                province=province,
                gender=gender,
                early_career=years <= 3,
            )
            for user_id, province, gender, years in chosen
        ],
        batch_size=2000,
    )
    return len(chosen)


def _delivery(rng: random.Random, cohort: Cohort, staff: User, engineer: User) -> None:
    """The first cohort's week: timetable, groups, room links, attendance (some absences
    excused after power cuts) and certificates."""
    sessions = services.timetable_create(actor=staff, cohort_id=cohort.pk)
    groups = services.groups_assign(actor=staff, cohort_id=cohort.pk)
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
        session.check_questions = [dict(question) for question in CHECK_QUESTIONS]
        session.save(update_fields=["recording_url", "check_questions"])
    _attendance(rng, cohort, sessions, engineer)
    _engineer_week(cohort, sessions, staff, engineer)
    services.certificates_issue(cohort_id=cohort.pk)


def _attendance(
    rng: random.Random, cohort: Cohort, sessions: list[LiveSession], engineer: User
) -> None:
    rows = []
    confirmed = Application.objects.filter(cohort=cohort, state="confirmed").exclude(user=engineer)
    for application_id in confirmed.values_list("pk", flat=True):
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


def _engineer_week(
    cohort: Cohort, sessions: list[LiveSession], staff: User, engineer: User
) -> None:
    """The named engineer attended every evening but the third, lost to load-shedding: she
    watched the recording, passed the check and staff approved the absence.  Rows are written
    as the other participants' are (the insights demo writes the events from them)."""
    application = Application.objects.get(cohort=cohort, user=engineer)
    missed = sessions[2]
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                application=application,
                minutes=0 if session == missed else 118,
                present=True,
                source="recording" if session == missed else "zoom",
            )
            for session in sessions
        ]
    )
    Excuse.objects.create(
        session=missed,
        application=application,
        reason=ExcuseReason.POWER,
        note="Load-shedding from 7 pm; the UPS lasted twenty minutes.",
        check_score=len(CHECK_QUESTIONS),
        check_passed=True,
        state=ExcuseState.APPROVED,
        reviewed_by=staff,
        review_note="Recording watched; check passed.",
    )
