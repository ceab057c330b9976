"""Demo data for the Brain Gain portal, written through the real services wherever a person
would act, so every object in the demo went through the same checks and state machines.

After seeding, the named accounts can run both flows end to end:

* the named contributor has a request waiting from the named institution (accept it, agree the
  terms with Prof. Farah Naz, plan and log a session), and an active mentorship with the named
  engineer, with a short conversation in it (the engineer has one message unread);
* the named institution has an open consultancy project with proposals (award one), and an
  engagement under way;
* staff find open mentoring and final-year-project asks for a matching round.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from rabta.accounts.models import ContributorProfile, EngineerProfile, Institution, User
from rabta.accounts.reference import Sector
from rabta.braingain import services
from rabta.braingain.models import (
    Conversation,
    ConversationMember,
    MatchRequest,
    Mentorship,
    MentorshipSession,
    Message,
)
from rabta.engine.taxonomy import taxonomy

DEMO_DOMAIN = "demo.rabta.test"

# search terms per sector, resolved against the shipped ESCO skills at seed time
SECTOR_TERMS = {
    "ai": ["machine learning", "data analytics", "Python", "statistics"],
    "renewable_energy": ["solar energy", "wind turbines", "energy efficiency", "solar panel"],
    "power": ["electric power", "electrical systems", "power plant", "electricity"],
    "cybersecurity": ["cyber security", "information security", "network security"],
    "smart_infrastructure": ["building automation", "smart city", "sensors"],
    "water": ["water treatment", "hydraulics", "irrigation", "water supply"],
    "construction": ["structural engineering", "civil engineering", "building codes", "concrete"],
    "transport": ["transport engineering", "logistics", "traffic"],
    "manufacturing": ["automation technology", "manufacturing processes", "quality control"],
    "oil_gas": ["oil extraction", "pipeline", "drilling"],
    "telecom": ["telecommunication", "network engineering", "radio"],
    "semiconductors": ["electronics", "circuit diagrams", "microelectronics"],
    "software": ["software design", "cloud technologies", "software testing"],
    "agriculture": ["agricultural", "irrigation systems", "food safety"],
    "health": ["medical devices", "biomedical engineering"],
    "climate": ["environmental engineering", "climate change", "environmental impact"],
    "aerospace": ["aircraft", "aerospace engineering", "avionics"],
    "academia": ["research methodology", "scientific research", "academic writing"],
}
MENTORING_GOALS = [
    "Guidance on moving from site work into design consultancy for clients abroad.",
    "Help choosing a thesis topic and planning the literature review.",
    "Review of my portfolio and advice on the first international proposal.",
    "Supervision of a final-year project team of four students.",
    "Advice on taking a hardware prototype to its first paying customers.",
]


def sector_skills() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for sector, terms in SECTOR_TERMS.items():
        ids: list[str] = []
        for term in terms:
            for skill in taxonomy().search(term, limit=3):
                if skill.id not in ids:
                    ids.append(skill.id)
        found[sector] = ids
    return found


def ask_data(
    rng: random.Random, skill_map: dict[str, list[str]], kind: str, sector: str, **extra: object
) -> dict[str, object]:
    pool = skill_map.get(sector) or skill_map["academia"]
    data: dict[str, object] = {
        "kind": kind,
        "title": extra.pop("title", None) or f"{Sector(sector).label}: {kind.replace('_', ' ')}",
        "goal": rng.choice(MENTORING_GOALS),
        "sector": sector,
        "skills": rng.sample(pool, k=min(len(pool), rng.randint(2, 4))),
        "duration_weeks": rng.choice([8, 12, 16, 24]),
        "hours_per_month": rng.choice([2, 4, 6]),
        "language": rng.choice(["en", "ur"]),
        "mode": "online",
        "city": "",
        "deadline": timezone.localdate() + dt.timedelta(days=rng.randint(14, 60)),
        "budget_usd": None,
    }
    data.update(extra)
    return data


def _contributors_skilled(rng: random.Random, skills: dict[str, list[str]]) -> User:
    """Skills and languages for every contributor; the named one offers every kind of help."""
    languages = [["en", "ur"], ["en"], ["en", "ur", "pa"], ["en", "ur", "ps"], ["en", "ar"]]
    profiles = list(ContributorProfile.objects.select_related("user"))
    for profile in profiles:
        pool = [s for sector in profile.sectors for s in skills.get(sector, [])]
        profile.skills = rng.sample(pool, k=min(len(pool), rng.randint(3, 8))) if pool else []
        profile.languages = rng.choice(languages)
    ContributorProfile.objects.bulk_update(profiles, ["skills", "languages"], batch_size=1000)

    named = User.objects.get(email=f"contributor@{DEMO_DOMAIN}")
    ContributorProfile.objects.filter(user=named).update(
        contribution_types=["mentoring", "fyp_supervision", "consultancy"],
        languages=["en", "ur"],
        skills=skills["power"][:4] + skills["renewable_energy"][:4],
        capacity=4,
    )
    return named


def _active_mentorship(
    rng: random.Random, skills: dict[str, list[str]], engineer: User, named: User
) -> None:
    """The named engineer with the named contributor: agreed, one session held, one planned."""
    ask = services.ask_post(
        user=engineer,
        data=ask_data(
            rng,
            skills,
            "mentoring",
            "renewable_energy",
            title="Mentoring: from structural design to solar plant structures",
            skills=skills["renewable_energy"][:3],
            language="ur",
        ),
    )
    request = services.request_send(user=engineer, ask_id=ask.pk, contributor_id=named.pk)
    services.request_respond(user=named, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get(request=request)
    services.mentorship_agreement_update(
        user=engineer,
        mentorship_id=mentorship.pk,
        goals="Learn how solar mounting structures are designed and win one design project.",
        schedule="One hour every second Saturday at 19:00 Pakistan time, for 12 weeks.",
        expectations="Ayesha prepares questions and drawings; Dr. Qureshi reviews and advises.",
    )
    services.mentorship_sign(user=engineer, mentorship_id=mentorship.pk)
    services.mentorship_sign(user=named, mentorship_id=mentorship.pk)
    held = MentorshipSession.objects.create(
        mentorship=mentorship,
        starts_at=timezone.now() - dt.timedelta(days=6, hours=2),
        duration_minutes=60,
        agenda="Load cases for ground-mounted arrays",
        created_by=named,
    )
    services.session_hold(
        user=named, session_id=held.pk, notes="Wind and snow loads; next: pile foundations."
    )
    services.session_schedule(
        user=named,
        mentorship_id=mentorship.pk,
        starts_at=timezone.now() + dt.timedelta(days=8),
        duration_minutes=60,
        agenda="Pile foundations and a portfolio piece",
        meeting_url="https://meet.jit.si/rabta-demo-pile-foundations",
    )
    _conversation(mentorship, engineer, named)


# (author is the engineer?, hours ago, text): a short thread both ways, the last one unread
CONVERSATION = (
    (
        True,
        9 * 24 + 5,
        "Assalam o Alaikum Dr. Qureshi, thank you for accepting. Shall I send my current "
        "drawings of the array before our first session?",
    ),
    (
        False,
        9 * 24 + 2,
        "Wa Alaikum Assalam Ayesha. Yes please: the **general arrangement** and your "
        "load assumptions are enough. A PDF works best.",
    ),
    (
        True,
        6 * 24 - 3,
        "Thank you for today. I will read about pile foundations and redo the wind load "
        "case with the exposure category you suggested.",
    ),
    (
        False,
        2 * 24,
        "Good. For next time, bring one question you would ask a client about the site "
        "soil. The [PEC bye-laws](https://www.pec.org.pk) are worth a look too.",
    ),
)


def _conversation(mentorship: Mentorship, engineer: User, named: User) -> None:
    """A few messages between the named engineer and contributor, sent through the service
    and then dated back over the last days; the contributor's last one is still unread."""
    conversation = services.conversation_for_match(mentorship=mentorship)
    now = timezone.now()
    for from_engineer, hours, text in CONVERSATION:
        author = engineer if from_engineer else named
        message = services.message_send(user=author, conversation_id=conversation.pk, body=text)
        when = now - dt.timedelta(hours=hours)
        Message.objects.filter(pk=message.pk).update(created_at=when)
        ConversationMember.objects.filter(conversation=conversation).update(
            last_read_at=when + dt.timedelta(minutes=20)
        )
    last = now - dt.timedelta(hours=CONVERSATION[-1][1])
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=last)
    # the engineer read everything but the contributor's last message
    ConversationMember.objects.filter(conversation=conversation, user=engineer).update(
        last_read_at=last - dt.timedelta(days=1)
    )


def _waiting_request(
    rng: random.Random,
    skills: dict[str, list[str]],
    rep: User,
    university: Institution,
    named: User,
) -> None:
    """A request waiting for the named contributor, from the named institution."""
    fyp = services.ask_post(
        user=rep,
        data=ask_data(
            rng,
            skills,
            "fyp_supervision",
            "power",
            title="Co-supervise a final-year project on rooftop solar for a hospital",
            skills=skills["power"][:2] + skills["renewable_energy"][:2],
            language="en",
            institution_id=university.pk,
        ),
    )
    services.request_send(
        user=rep,
        ask_id=fyp.pk,
        contributor_id=named.pk,
        message="Four students, weekly online meetings; the department will host one visit.",
    )


def _open_project(
    rng: random.Random,
    skills: dict[str, list[str]],
    rep: User,
    university: Institution,
    named: User,
) -> None:
    """The marketplace: an open project with proposals from three consultants."""
    open_project = services.ask_post(
        user=rep,
        data=ask_data(
            rng,
            skills,
            "consultancy",
            "renewable_energy",
            title="Review the design of a 500 kW campus solar plant",
            budget_usd=Decimal("2500"),
            institution_id=university.pk,
        ),
    )
    bidders = [
        user_id
        for user_id, kinds in ContributorProfile.objects.exclude(user=named)
        .order_by("pk")
        .values_list("user_id", "contribution_types")
        if "consultancy" in kinds
    ][:3]
    for bidder_id in bidders:
        bidder = User.objects.get(pk=bidder_id)
        price = Decimal(rng.choice([1800, 2200, 2500]))
        services.proposal_submit(
            user=bidder,
            ask_id=open_project.pk,
            price_usd=price,
            plan="Review the single-line diagram, yield model and structures; a report with fixes.",
            milestones=[
                {"title": "Design review", "amount": str(price * Decimal("0.6")), "days": "10"},
                {"title": "Follow-up", "amount": str(price * Decimal("0.4")), "days": "10"},
            ],
        )


def _running_engagement(
    rng: random.Random,
    skills: dict[str, list[str]],
    rep: User,
    university: Institution,
    named: User,
) -> None:
    """An engagement under way: signed by both, the first milestone delivered."""
    running = services.ask_post(
        user=rep,
        data=ask_data(
            rng,
            skills,
            "consultancy",
            "power",
            title="Protection coordination study for the campus grid",
            budget_usd=Decimal("3000"),
            institution_id=university.pk,
        ),
    )
    proposal = services.proposal_submit(
        user=named,
        ask_id=running.pk,
        price_usd=Decimal("3000"),
        plan="Model the campus network in ETAP, coordinate relays, and train two staff engineers.",
        milestones=[
            {"title": "Network model and load flow", "amount": "1200.00", "days": "14"},
            {"title": "Relay coordination report", "amount": "1800.00", "days": "21"},
        ],
    )
    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)
    services.engagement_sign(user=named, engagement_id=engagement.pk)
    services.engagement_sign(user=rep, engagement_id=engagement.pk)
    first = engagement.milestones.order_by("position").first()
    assert first is not None
    services.milestone_submit(
        user=named,
        milestone_id=first.pk,
        note="Network model and load-flow results for normal and N-1 cases.",
        link="https://files.example.org/campus-grid/model",
    )


def _open_asks(rng: random.Random, skills: dict[str, list[str]], engineer: User) -> int:
    """Open asks from engineers and institutions, for suggestions and for a staff matching
    round.  Returns how many were posted."""
    engineers = list(
        EngineerProfile.objects.filter(verification_state="verified")
        .exclude(user=engineer)
        .values_list("user_id", flat=True)[:120]
    )
    posted = 0
    for user_id in engineers:
        kind = rng.choice(["mentoring", "mentoring", "research_guidance", "startup_advising"])
        sector = rng.choice(list(SECTOR_TERMS))
        services.ask_post(
            user=User.objects.get(pk=user_id), data=ask_data(rng, skills, kind, sector)
        )
        posted += 1
    for institution in Institution.objects.order_by("pk")[:8]:
        owner = institution.members.order_by("pk").first()
        if owner is None:
            continue
        for _n in range(5):
            sector = rng.choice(["power", "construction", "water", "software", "ai"])
            services.ask_post(
                user=owner,
                data=ask_data(
                    rng, skills, "fyp_supervision", sector, institution_id=institution.pk
                ),
            )
            posted += 1
    return posted


def seed_braingain(rng: random.Random) -> dict[str, int]:
    skills = sector_skills()
    named = _contributors_skilled(rng, skills)
    rep = User.objects.get(email=f"institution@{DEMO_DOMAIN}")
    engineer = User.objects.get(email=f"engineer@{DEMO_DOMAIN}")
    university = Institution.objects.filter(members=rep).order_by("pk").first()
    assert university is not None
    _active_mentorship(rng, skills, engineer, named)
    _waiting_request(rng, skills, rep, university, named)
    _open_project(rng, skills, rep, university, named)
    _running_engagement(rng, skills, rep, university, named)
    posted = _open_asks(rng, skills, engineer)
    return {"asks": posted + 6, "mentorships": 1, "engagements": 1}


def seed_due_soon() -> None:
    """Seeded last, once every other record exists (asking a contributor now must not change
    the history the rest of the demo builds)."""
    rep = User.objects.get(email=f"institution@{DEMO_DOMAIN}")
    university = Institution.objects.filter(members=rep).order_by("pk").first()
    assert university is not None
    _due_soon(random.Random(17), sector_skills(), rep, university)


def _due_soon(
    rng: random.Random, skills: dict[str, list[str]], rep: User, university: Institution
) -> None:
    """Deadlines minutes after the demo starts, so `make run` shows the scheduler at work: one
    request lapses tomorrow (its contributor is reminded on the first run) and another lapses
    in four minutes, when its ask moves on to the next contributor by itself."""
    now = timezone.now()
    for sector, title, respond_by in (
        ("power", "Review a substation earthing design", now + dt.timedelta(hours=20)),
        ("water", "Advise on a small-town water treatment upgrade", now + dt.timedelta(minutes=4)),
    ):
        ask = services.ask_post(
            user=rep,
            data=ask_data(
                rng, skills, "research_guidance", sector, title=title, institution_id=university.pk
            ),
        )
        first = services.suggestions(ask=ask)[0]
        request = services.request_send(
            user=rep, ask_id=ask.pk, contributor_id=first.contributor_id
        )
        MatchRequest.objects.filter(pk=request.pk).update(respond_by=respond_by)
