"""Demo data for the community, written through the real services wherever a person would act.

After seeding:

* chapters in the contributors' cities and countries, and in Karachi, Lahore and Islamabad, with
  everyone living there joined; the named contributor leads the Toronto chapter, which has an
  online meet-up coming with places left;
* forums with discussions and replies, some answered, and a post flagged by two members waiting
  in the moderator's queue (``moderator@``);
* a Hall of Fame whose members' records come from mentorships they completed on the platform,
  and a nomination waiting for the council (``staff@``);
* an open call for a curriculum review with applications (the named contributor can apply),
  and a selected advisory panel whose workspace holds a document and comments.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db.models import Count
from django.utils import timezone

from rabta.accounts.models import ContributorProfile, User
from rabta.braingain import services as bg
from rabta.braingain.models import Mentorship, MentorshipSession
from rabta.community import services
from rabta.community.models import (
    Category,
    Chapter,
    ChapterMembership,
    Honour,
    Member,
    Post,
    Thread,
    TrustLevel,
)
from rabta.core.errors import DomainError

DEMO_DOMAIN = "demo.rabta.test"

PAKISTAN_CITIES = ["Karachi", "Lahore", "Islamabad"]
COUNTRY_CHAPTERS = ["GB", "US", "CA", "AE", "SA", "DE", "AU"]

DISCUSSIONS: list[tuple[str, str, str, list[str]]] = [
    (
        "freelancing",
        "How do you price a structural design review for a client in the Gulf?",
        "I have been asked to review the **structural drawings** of a G+4 building in Dubai. "
        "Do you charge per sheet, per hour or a fixed fee? What did your first contract look like?",
        [
            "Fixed fee with a clear scope: number of sheets, one round of comments, and a day rate "
            "for anything beyond it.",
            "Ask for 30% up front. For a first client abroad, keep the scope small and deliver "
            "early.",
            "I quote per sheet for reviews and per hour for calls. Put the code (ACI 318 or BS EN) "
            "you check against in the proposal.",
        ],
    ),
    (
        "renewable-energy",
        "Net metering in Pakistan: sizing a 10 kW rooftop system for a factory",
        "The client runs a single shift. How far over the daytime load would you size the array, "
        "given the current net-metering rules?",
        [
            "Size to the daytime load plus about 20%, and check the sanctioned load first; the "
            "distribution company will not approve more than it.",
            "Look at a year of bills, not one month. Summer and winter loads differ a lot in "
            "Punjab.",
        ],
    ),
    (
        "ai",
        "Getting started with computer vision for quality control on a production line",
        "We make ceramic tiles in Gujrat. Is a small camera and an open model enough to find "
        "cracks, or do we need a vendor system?",
        [
            "Start with 500 labelled images of good and cracked tiles; a small model fine-tuned on "
            "them goes a long way. Lighting matters more than the model.",
            "Measure false rejects from the first day: the line manager will judge you on them.",
            "Happy to review your data set plan. @imran-qureshi has done this for a glass plant.",
        ],
    ),
    (
        "water",
        "Drip irrigation design for smallholders in Tharparkar",
        "Looking for advice on solar pumping and drip layouts for farms of two to five acres.",
        ["Keep the head losses low: short laterals and a header tank filled by day."],
    ),
    (
        "careers",
        "PEC registration while working abroad: what do I need to keep up?",
        "I moved to Toronto last year. Do I need to renew with PEC, and does CPD abroad count?",
        [
            "Renew every year and keep your CPD record; courses abroad count if you keep the "
            "certificates.",
        ],
    ),
    (
        "cybersecurity",
        "Security basics for a small engineering consultancy",
        "Five people, shared drawings, client data. Where would you start?",
        [
            "Two-factor sign-in everywhere, backups you have restored at least once, and a "
            "password manager. Then think about everything else.",
            "Give each client its own folder with its own access; never one shared drive for all.",
        ],
    ),
    (
        "smart-infrastructure",
        "Sensors for monitoring an old bridge: what is worth measuring?",
        "A district council wants to monitor a 1960s bridge on a small budget.",
        ["Start with crack gauges and tilt; add strain only where a model says it matters."],
    ),
    (
        "startups",
        "First customers for an IoT energy meter",
        "We have a working prototype. Who buys first: factories, housing societies or utilities?",
        [
            "Factories: they feel the bill every month and decide fast.",
            "Utilities buy slowly; use a pilot with a housing society to build a case.",
        ],
    ),
]


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _trusted(user: User) -> None:
    member = services.member_ensure(user=user)
    Member.objects.filter(pk=member.pk).update(trust_level=TrustLevel.TRUSTED, trust_locked=True)


def _chapters(staff: User) -> list[Chapter]:
    chapters = []
    places = (
        ContributorProfile.objects.values("country", "city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")[:14]
    )
    wanted = [(p["country"], p["city"]) for p in places]
    wanted += [("PK", city) for city in PAKISTAN_CITIES]
    wanted += [(country, "") for country in COUNTRY_CHAPTERS]
    for country, city in wanted:
        chapter = services.chapter_open(actor=staff, country=country, city=city)
        # the task runs after the seed commits; running it now makes the counts right at once
        services.chapter_autojoin_all(chapter_id=chapter.pk)
        chapters.append(chapter)
    return chapters


def _listed(rng: random.Random) -> None:
    memberships = list(ChapterMembership.objects.all().only("pk"))
    chosen = [m.pk for m in memberships if rng.random() < 0.3]
    ChapterMembership.objects.filter(pk__in=chosen).update(listed=True)


def _replies(
    rng: random.Random,
    thread: Thread,
    replies: Sequence[str],
    people: list[User],
    *,
    named: User,
    engineer: User,
) -> Post | None:
    """The discussion's replies, nobody answering themselves; the first is the answer to
    choose."""
    best = None
    for text in replies:
        replier = named if "@imran" not in text and rng.random() < 0.25 else rng.choice(people)
        if replier.pk == thread.author_id:
            replier = named if thread.author_id != named.pk else engineer
        post = services.reply_create(user=replier, thread=thread, body=text)
        best = best or post
    return best


def _forums(rng: random.Random, people: list[User], named: User, engineer: User) -> Post | None:
    flagged_target = None
    for n, (slug, title, body, replies) in enumerate(DISCUSSIONS):
        category = Category.objects.get(slug=slug)
        author = engineer if n % 3 == 0 else rng.choice(people)
        thread = services.thread_create(user=author, category=category, title=title, body=body)
        best = _replies(rng, thread, replies, people, named=named, engineer=engineer)
        if best is not None and n % 2 == 0:
            services.solution_set(user=author, post=best, solved=True)
        days = rng.randint(1, 60)
        Thread.objects.filter(pk=thread.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days),
            last_posted_at=timezone.now() - dt.timedelta(days=days - 1, hours=rng.randint(0, 20)),
        )
        if slug == "freelancing":
            spam = services.reply_create(
                user=rng.choice(people),
                thread=thread,
                body="Buy followers and reviews for your freelance profile, cheap, message me.",
            )
            flagged_target = spam
    # a long discussion: how a thread of many replies reads on a phone
    category = Category.objects.get(slug="freelancing")
    long = services.thread_create(
        user=named,
        category=category,
        title="Your first international engagement: share how you got it",
        body="One reply each: the platform, the client's country, and what won the job.",
    )
    platforms = ["Upwork", "Fiverr", "a LinkedIn message", "a former colleague", "Toptal"]
    countries = ["Saudi Arabia", "the UAE", "the UK", "Germany", "the US", "Qatar", "Canada"]
    for person in rng.sample(people, k=min(len(people), 60)):
        if person.pk == named.pk:
            continue
        services.reply_create(
            user=person,
            thread=long,
            body=f"Through {rng.choice(platforms)}, for a client in {rng.choice(countries)}: "
            f"a {rng.choice(['BIM model', 'load-flow study', 'PCB review', 'HVAC design'])}, "
            "won by a small sample delivered before the call.",
        )
    return flagged_target


def _mentor_record(rng: random.Random, mentor: User, seekers: list[User], kinds: list[str]) -> None:
    """Mentorships the contributor completed through the Brain Gain services, with sessions
    held, so their Hall of Fame record is the platform's own."""
    from rabta.braingain.demo import ask_data, sector_skills

    skills = sector_skills()
    for kind in kinds:
        seeker = rng.choice(seekers)
        sector = rng.choice(["renewable_energy", "power", "construction", "software"])
        try:
            ask = bg.ask_post(user=seeker, data=ask_data(rng, skills, kind, sector))
            request = bg.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
            bg.request_respond(user=mentor, request_id=request.pk, accept=True)
            mentorship = Mentorship.objects.get(request=request)
            bg.mentorship_agreement_update(
                user=seeker,
                mentorship_id=mentorship.pk,
                goals="Plan and deliver the work described in the ask.",
                schedule="One hour every two weeks.",
                expectations="The seeker prepares; the contributor reviews and advises.",
            )
            bg.mentorship_sign(user=seeker, mentorship_id=mentorship.pk)
            bg.mentorship_sign(user=mentor, mentorship_id=mentorship.pk)
            for week in range(rng.randint(3, 6)):
                held = MentorshipSession.objects.create(
                    mentorship=mentorship,
                    starts_at=timezone.now() - dt.timedelta(days=90 - 14 * week),
                    duration_minutes=rng.choice([45, 60, 90]),
                    agenda="Review and next steps",
                    created_by=mentor,
                )
                bg.session_hold(
                    user=mentor, session_id=held.pk, notes="Reviewed; next steps agreed."
                )
            bg.mentorship_complete(user=mentor, mentorship_id=mentorship.pk)
        except DomainError:
            continue  # this contributor cannot take the kind of work; the record is shorter


def _hall_of_fame(rng: random.Random, staff: User, named: User, engineer: User) -> int:
    seekers = list(
        User.objects.filter(engineer_profile__verification_state="verified").order_by("pk")[:40]
    )
    candidates = [
        profile.user
        for profile in ContributorProfile.objects.filter(availability="available")
        .exclude(user=named)
        .select_related("user")
        .order_by("pk")[:200]
        if "mentoring" in profile.contribution_types
    ][:6]
    citations = [
        "Mentored young engineers in **power systems** every fortnight for two years, and helped "
        "three of them win their first international contracts.",
        "Supervised final-year projects on solar irrigation in Sindh and opened doors to industry "
        "partners abroad.",
        "Built the chapter's mentoring circle and reviewed dozens of portfolios of engineers at "
        "home.",
    ]
    published = 0
    for n, person in enumerate(candidates):
        offered = person.contributor_profile.contribution_types
        kinds = ["mentoring", "mentoring"] + (
            ["fyp_supervision"] if "fyp_supervision" in offered else []
        )
        _mentor_record(rng, person, seekers, kinds)
        nominator = rng.choice(seekers)
        services.member_ensure(user=person)
        handle = Member.objects.get(user=person).handle
        citation = citations[n % len(citations)]
        nomination = services.nomination_submit(user=nominator, handle=handle, citation=citation)
        if n == len(candidates) - 1:
            break  # left waiting for the council's review
        honour = services.nomination_decide(
            reviewer=staff, nomination=nomination, accept=True, note="Record checked."
        )
        if honour is not None and n != len(candidates) - 2:
            services.honour_consent(user=person, honour=honour, agree=True)
            Honour.objects.filter(pk=honour.pk).update(year=timezone.localdate().year - (n % 2))
            published += 1
    return published


def _panels(rng: random.Random, staff: User, named: User) -> None:
    today = timezone.localdate()
    contributors = list(
        User.objects.filter(contributor_profile__isnull=False)
        .exclude(pk=named.pk)
        .order_by("pk")[:30]
    )
    review = services.call_open(
        actor=staff,
        data={
            "kind": "curriculum_review",
            "title": "Curriculum review: BSc Electrical Engineering (power stream)",
            "body": "The council reviews the power stream of the BSc Electrical Engineering "
            "curriculum. Reviewers compare it with programmes abroad and with what employers "
            "need: **renewables, grid integration, protection and power electronics**.",
            "discipline": "ELECT",
            "sector": "power",
            "seats": 5,
            "closes_on": today + dt.timedelta(days=21),
        },
    )
    for person in contributors[:6]:
        services.call_apply(
            user=person,
            call=review,
            statement="Twelve years in transmission planning and protection; I teach a graduate "
            "course on grid integration of renewables.",
        )
    panel = services.call_open(
        actor=staff,
        data={
            "kind": "advisory_panel",
            "title": "Advisory panel: rooftop solar and net metering regulations",
            "body": "A panel of overseas engineers advises the government on the next revision of "
            "the net-metering regulations.",
            "discipline": "",
            "sector": "renewable_energy",
            "seats": 4,
            "closes_on": today + dt.timedelta(days=1),
        },
    )
    applicants = contributors[6:14]
    applications = [
        services.call_apply(
            user=person,
            call=panel,
            statement="I designed distributed-generation interconnection rules for a utility and "
            "can compare tariff designs across countries.",
        )
        for person in applicants
    ]
    services.call_close(actor=staff, call=panel)
    services.panel_select(actor=staff, call=panel, application_ids=[a.pk for a in applications[:4]])
    text = (
        "# Terms of reference\n\nReview the draft regulations, compare them with three other "
        "countries, and recommend changes by the end of the quarter.\n"
    )
    services.document_add(
        user=staff,
        call_id=panel.pk,
        title="Terms of reference",
        name="terms.md",
        data=text.encode(),
    )
    for person in applicants[:3]:
        services.comment_add(
            user=person,
            call_id=panel.pk,
            body="I can take the comparison with the UK and Australia.",
        )


def seed_community(rng: random.Random) -> dict[str, Any]:
    staff = _user("staff")
    named = _user("contributor")
    engineer = _user("engineer")
    chapters = _chapters(staff)
    toronto = Chapter.objects.get(country="CA", city__iexact="Toronto")
    services.member_ensure(user=named)
    Member.objects.filter(user=named).update(handle="imran-qureshi")
    services.chapter_lead_set(actor=staff, chapter=toronto, handle="imran-qureshi", lead=True)
    ChapterMembership.objects.filter(chapter=toronto, user=named).update(listed=True)
    _listed(rng)
    services.event_create(
        user=named,
        chapter=toronto,
        data={
            "title": "Toronto chapter: mentoring circle and welcome",
            "description": "Meet the chapter and plan this year's mentoring circle.",
            "mode": "online",
            "location": "https://meet.example.org/rabta-toronto",
            "starts_local": dt.datetime.combine(
                timezone.localdate() + dt.timedelta(days=10), dt.time(19, 0)
            ),
            "time_zone": "America/Toronto",
            "duration_minutes": 60,
            "capacity": 40,
            "visibility": "members",
        },
    )
    london = Chapter.objects.filter(country="GB", city__iexact="London").first()
    if london is not None:
        lead = ChapterMembership.objects.filter(chapter=london).order_by("pk").first()
        if lead is not None:
            services.member_ensure(user=lead.user)
            handle = Member.objects.get(user=lead.user).handle
            services.chapter_lead_set(actor=staff, chapter=london, handle=handle, lead=True)
            services.event_create(
                user=lead.user,
                chapter=london,
                data={
                    "title": "London chapter dinner",
                    "description": "An evening with engineers visiting from Pakistan.",
                    "mode": "in_person",
                    "location": "Pakistan High Commission, 35-36 Lowndes Square, London",
                    "starts_local": dt.datetime.combine(
                        timezone.localdate() + dt.timedelta(days=20), dt.time(18, 30)
                    ),
                    "time_zone": "Europe/London",
                    "duration_minutes": 150,
                    "capacity": 30,
                    "visibility": "everyone",
                },
            )
    people = list(
        User.objects.filter(contributor_profile__isnull=False).order_by("pk")[:80]
    ) + list(
        User.objects.filter(engineer_profile__verification_state="verified").order_by("pk")[:40]
    )
    for person in [*people, named, engineer]:
        _trusted(person)
    flagged = _forums(rng, people, named, engineer)
    moderator = _user("moderator")
    if flagged is not None:
        for flagger in rng.sample([p for p in people if p.pk != flagged.author_id], k=2):
            services.flag_create(user=flagger, post=flagged, reason="spam")
    published = _hall_of_fame(rng, staff, named, engineer)
    _panels(rng, staff, named)
    services.member_ensure(user=moderator)
    return {"chapters": len(chapters), "honours": published}
