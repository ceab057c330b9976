"""Emails sent to the demo population in a week of activity, under the default notification
preferences, against emailing every notice at once (the baseline, same run).

    .venv/bin/python benchmarks/email_volume.py [--engineers 2000] [--contributors 300] [--smoke]

A throwaway SQLite database (Django with the test settings, tasks inline) is seeded with the
demo (``seed_demo``), then a simulated clock runs hour by hour through a warm-up (so requests,
offers and mentorships are under way as in any ordinary week) and the measured week, which
starts on a Monday at midnight, Pakistan time.  People act through the real services at the
rates below (each a named constant with its reason); every hour the scheduled jobs run as beat
runs them (offers expiring and their deadline reminders, tomorrow's live sessions, Brain Gain
requests lapsing and their reminders, outcome reminders, and the digests, for whoever's local
digest hour it is).  So every notice is the real one, with its kind's real default delivery.

Counted over the measured week: the ``Email`` rows written (at once, and digests) per day, per
person (median, p90 and max for contributors and engineers) and by kind.  Baseline: the notices
themselves, each of which would be an email if every kind were emailed at once with no digest.

The clock: ``django.utils.timezone.now`` is replaced by the simulated time after seeding (the
app reads time through it only), and the services that take ``now=`` are given it too.
Deterministic: one random generator with a fixed seed, the week aligned to a Monday.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import io
import logging
import math
import os
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from _setup import django_ready

SEED = 2026
PKT = ZoneInfo("Asia/Karachi")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# --- the rates: how the demo population behaves (per person unless said) -----------------------
# the community
THREADS_PER_PERSON_DAY = 0.004  # ~9 new discussions a day for 2,300 people: a lively forum
REPLIES_PER_THREAD = 5.0  # mean replies a discussion gets (Poisson), most in its first day
REPLY_MEAN_HOURS = 20.0  # mean time from the opening post to a reply (exponential)
AUTHOR_ANSWERS_BACK = 0.3  # replies written by the discussion's author, answering back
MENTION_SHARE = 0.2  # replies that @mention someone earlier in the discussion
WATCH_ON_REPLY = 0.25  # repliers who also watch the discussion (its author always does)
FORUM_WATCHER_SHARE = 0.04  # people who watch one forum, so hear of every new discussion in it
PANEL_CALL_AT = (2, 11)  # the council opens a panel call a week, Wednesdays 11:00 PKT (each is
# told to every contributor in its sector: on a fixed day, so every measured week has one)
NOMINATIONS_PER_WEEK = 1.0  # Hall of Fame nominations; the council decides in about 3 days
NOMINATION_ACCEPT_SHARE = 0.6
HIDDEN_POSTS_PER_WEEK = 1.0  # posts a moderator hides (spam, abuse)
RSVP_SHARE = 0.3  # chapter members who answer an upcoming event's invitation
RSVP_CANCEL_SHARE = 0.15  # of those going, who later give up their place
# Brain Gain
ASKS_PER_ENGINEER_WEEK = 0.01  # 20 asks a week from 2,000 engineers; each asks a suggested one
INSTITUTION_ASKS_PER_WEEK = 3.0  # final-year-project supervision asks from the institutions
PROJECTS_PER_WEEK = 2.0  # consultancy projects posted by institutions
PROPOSALS_PER_PROJECT = 4.0  # proposals a project receives (Poisson), over about two days
AWARD_AFTER_DAYS = 5.0  # the client awards the cheapest proposal about five days in
SILENT_SHARE = 0.25  # contributors who never answer a request (it lapses and moves on)
ACCEPT_SHARE = 0.6  # of the contributors who answer, those who accept
ANSWER_MEAN_HOURS = 30.0  # mean time to answer (exponential; past the deadline it lapses)
AGREE_MEAN_HOURS = 24.0  # each side's time to write or sign the mentorship agreement
SESSIONS_PER_MENTORSHIP_WEEK = 0.5  # a session planned every other week, by either side
MENTORSHIPS_COMPLETED_PER_WEEK = 1 / 12  # of active ones with a session held (12-week terms)
MENTORSHIPS_ENDED_PER_WEEK = 1 / 100  # ended early, without a rematch
MILESTONE_DAYS = 6.0  # mean days to deliver a milestone; review, invoice, payment each ~2 days
CHANGES_SHARE = 0.2  # deliveries sent back for changes once
# the programme
APPLICATIONS_PER_ENGINEER_DAY = 0.004  # ~8 applications a day to the open (first-come) cohort
OFFER_CONFIRM_SHARE = 0.75  # of the people offered a seat, who confirm (5% decline, rest lapse)
OFFER_DECLINE_SHARE = 0.05
OFFER_ANSWER_MEAN_HOURS = 30.0
LIVE_COHORT_SHARE = 0.2  # engineers in a cohort whose live week falls in the measured week
PRESENT_SHARE = 0.85  # participants present at each live session
# accounts, and reading the inbox
VERIFICATIONS_PER_WORKDAY = 25.0  # PEC numbers staff review, 9:00-17:00 on weekdays
REJECT_SHARE = 0.1
ENGINEER_INBOX_VISITS_PER_DAY = 0.15  # share of engineers who open their inbox on a given day
CONTRIBUTOR_INBOX_VISITS_PER_DAY = 0.1  # (opening it marks every notice read: no digest for them)
# Pakistan-time hours people act in (weight 1), the rest of the day at a sixth of that
AWAKE_HOURS = range(8, 24)
NIGHT_WEIGHT = 1 / 6

WORDS = (  # noqa: SIM905
    "client proposal milestone drawing review load design contract scope delivery feedback "
    "inverter panel voltage site margin standard code check hourly fixed rate portfolio tender "
    "BIM ETABS SAFE pile earthing relay protection solar wind grid water pump survey permit"
).split()


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _n in range(words)).capitalize() + "."


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: the rates here are small."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def nearest_rank(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0


class Clock:
    """The simulated time, read by the whole app through ``timezone.now``."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class Simulation:
    def __init__(self, rng: random.Random, clock: Clock, start: datetime, hours: int) -> None:
        from rabta.accounts.demo import DEMO_DOMAIN
        from rabta.accounts.models import ContributorProfile, EngineerProfile, User
        from rabta.braingain.demo import sector_skills

        self.rng, self.clock, self.start, self.hours = rng, clock, start, hours
        self.queue: list[tuple[datetime, int, str, Callable[[], Any]]] = []
        self.sequence = 0
        self.done: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
        self.moderator = User.objects.get(email=f"moderator@{DEMO_DOMAIN}")
        self.contributors = list(
            User.objects.filter(contributor_profile__isnull=False).order_by("pk")
        )
        self.engineers = list(User.objects.filter(engineer_profile__isnull=False).order_by("pk"))
        self.people = self.engineers + self.contributors
        self.verified = [
            u for u in self.engineers if u.engineer_profile.verification_state == "verified"
        ]
        self.consultants = [
            p.user
            for p in ContributorProfile.objects.select_related("user").order_by("pk")
            if "consultancy" in p.contribution_types
        ]
        self.pending_pec = list(
            EngineerProfile.objects.filter(verification_state="pending").order_by("pk")
        )
        self.skills = sector_skills()
        self.categories = self._public_categories()
        self.threads: dict[int, list[int]] = {}  # discussion → its participants, in order
        self.seen_requests = 0
        self.seen_offers: set[tuple[int, str]] = set()
        self.live_cohort: int | None = None
        self.live_participants: set[int] = set()

    # --- the machinery ----------------------------------------------------------------------

    def at(self, when: datetime, label: str, action: Callable[[], Any]) -> None:
        self.sequence += 1
        heapq.heappush(self.queue, (when, self.sequence, label, action))

    def act(self, label: str, action: Callable[[], Any]) -> Any:
        from rabta.core.errors import DomainError

        try:
            result = action()
        except DomainError as error:
            self.refused[f"{label} ({error.code})"] += 1
            return None
        self.done[label] += 1
        return result

    def job(self, label: str, run: Callable[[], Any]) -> None:
        """A scheduled job's run, as beat starts it; counts what it did (a number, or a pair)."""
        done = run()
        counts = done if isinstance(done, tuple) else (done,)
        for part, count in zip(label.split(" | "), counts, strict=True):
            self.done[f"{part} (job)"] += int(count or 0)

    def run_until(self, until: datetime) -> None:
        while self.queue and self.queue[0][0] < until:
            when, _n, label, action = heapq.heappop(self.queue)
            self.clock.at = max(when, self.clock.at)
            self.act(label, action)

    def later(self, mean_hours: float) -> timedelta:
        return timedelta(hours=self.rng.expovariate(1 / mean_hours))

    def spread(
        self, hour: datetime, rate_per_day: float, label: str, make: Callable[[], Any]
    ) -> None:
        """Poisson arrivals in this hour at ``rate_per_day``, heavier in waking hours."""
        local = hour.astimezone(PKT).hour
        weight = 1.0 if local in AWAKE_HOURS else NIGHT_WEIGHT
        total = len(AWAKE_HOURS) + (24 - len(AWAKE_HOURS)) * NIGHT_WEIGHT
        for _n in range(poisson(self.rng, rate_per_day * weight / total)):
            self.at(hour + timedelta(seconds=self.rng.uniform(0, 3599)), label, make)

    # --- setting the stage (state the demo lacks, not activity) ---------------------------

    def prepare(self, week_start: datetime, days: int) -> None:
        from rabta.community import services as community

        self._live_cohort(week_start, days)
        for person in self.people:
            if self.rng.random() < FORUM_WATCHER_SHARE:
                community.category_watch_set(
                    user=person, category=self.rng.choice(self.categories), on=True
                )
        self._rsvps()
        self._seeded_engagements()

    def _public_categories(self) -> list[Any]:
        from rabta.community.models import Category

        return list(Category.objects.filter(chapter__isnull=True).order_by("pk"))

    def _live_cohort(self, week_start: datetime, days: int) -> None:
        """A cohort whose live week falls in the measured week, seated in the weeks before."""
        from rabta.programme import services as programme
        from rabta.programme.models import Application, Cohort

        first = (week_start + (DAY if days > 2 else timedelta())).astimezone(PKT).date()
        length = max(1, min(5, days - (1 if days > 2 else 0)))
        cohort = programme.cohort_save(
            actor=self.staff,
            data={
                "name": "Freelance Initiative — live this week",
                "slug": "live-this-week",
                "starts_on": first,
                "ends_on": first + timedelta(days=length - 1),
                "seats": 5000,
                "applications_open_at": self.start - 40 * DAY,
                "applications_close_at": self.start - 20 * DAY,
                "policy": "fair",
                "days_required": max(1, length - 1),
                # the model's float defaults fail its own three-decimal check: say them
                "target_women_share": Decimal("0.300"),
                "target_early_career_share": Decimal("0.400"),
            },
        )
        chosen = [u for u in self.verified if self.rng.random() < LIVE_COHORT_SHARE]
        Application.objects.bulk_create(
            Application(
                cohort=cohort,
                user=user,
                state="confirmed",
                hours_per_week=10,
                motivation="Seated from the waitlist.",
                employment="employed",
                consent=True,
                submitted_at=self.start - 30 * DAY,
            )
            for user in chosen
        )
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=len(chosen))
        self.live_cohort = cohort.pk
        self.live_participants = {u.pk for u in chosen}
        sessions = programme.timetable_create(actor=self.staff, cohort_id=cohort.pk)
        programme.groups_assign(actor=self.staff, cohort_id=cohort.pk)
        for session in sessions:
            self.at(
                session.ends_at + HOUR, "attendance imported", lambda s=session: self._attend(s)
            )
        self.at(
            sessions[-1].ends_at + 2 * HOUR,
            "certificates issued (job)",
            lambda: programme.certificates_issue_later(actor=self.staff, cohort_id=cohort.pk),
        )

    def _attend(self, session: Any) -> None:
        from rabta.programme.models import Application, Attendance

        rows = []
        for application_id in Application.objects.filter(
            cohort_id=session.cohort_id, state="confirmed"
        ).values_list("pk", flat=True):
            present = self.rng.random() < PRESENT_SHARE
            rows.append(
                Attendance(
                    session=session,
                    application_id=application_id,
                    minutes=115 if present else 0,
                    present=present,
                    source="zoom",
                )
            )
        Attendance.objects.bulk_create(rows, batch_size=2000)

    def _rsvps(self) -> None:
        from rabta.community import services as community
        from rabta.community.models import ChapterEvent, ChapterMembership

        end = self.start + self.hours * HOUR
        for event in ChapterEvent.objects.filter(cancelled_at__isnull=True).order_by("pk"):
            last = min(end, event.starts_at - HOUR)
            if last <= self.start:
                continue
            members = ChapterMembership.objects.filter(
                chapter=event.chapter, left_at__isnull=True
            ).select_related("user")
            for membership in members.order_by("pk"):
                if self.rng.random() >= RSVP_SHARE:
                    continue
                span = (last - self.start).total_seconds()
                when = self.start + timedelta(seconds=self.rng.uniform(0, span))
                person = membership.user
                self.at(
                    when,
                    "event RSVP",
                    lambda p=person, e=event: community.rsvp_set(user=p, event=e, going=True),
                )
                if self.rng.random() < RSVP_CANCEL_SHARE:
                    gives_up = when + (last - when) * self.rng.random()
                    self.at(
                        gives_up,
                        "event place given up",
                        lambda p=person, e=event: community.rsvp_set(user=p, event=e, going=False),
                    )

    def _seeded_engagements(self) -> None:
        from rabta.braingain.models import Milestone

        for milestone in Milestone.objects.filter(status="submitted").select_related("engagement"):
            self._milestone_review(milestone.pk, self.start + self.later(48))

    # --- one hour -----------------------------------------------------------------------------

    def hour(self, now: datetime) -> None:
        from rabta.braingain import services as braingain
        from rabta.core.digests import digests_send
        from rabta.portfolio.services import outcome_reminders_send
        from rabta.programme import services as programme
        from rabta.programme.tasks import offer_deadline_reminders_send, session_reminders_send

        # beat's jobs, at the top of the hour
        self.clock.at = now
        self.job("offers expired", lambda: programme.offers_expire(now=now))
        # these two enqueue a reminder for everyone due within 24 hours, every hour: the
        # repeats are no-ops (one notice per key), so the notices table counts them, not this
        self.job(
            "offer deadline reminders enqueued, repeats included", offer_deadline_reminders_send
        )
        self.job("live session reminders enqueued, repeats included", session_reminders_send)
        self.job(
            "requests lapsed, moved on | requests reminded",
            lambda: braingain.requests_expire(now=now),
        )
        if now.astimezone(PKT).hour % 6 == 0:
            today = now.astimezone(PKT).date()
            self.job("outcome reminders", lambda: outcome_reminders_send(today=today))
        self.job("digests written", lambda: digests_send(now=now))
        # people, during the hour
        self._arrivals(now)
        self.run_until(now + HOUR)
        self.clock.at = now + HOUR - timedelta(seconds=1)
        self._discover()
        self._inbox_visits(now)

    def _arrivals(self, now: datetime) -> None:
        local = now.astimezone(PKT)
        people, engineers = len(self.people), len(self.engineers)
        self.spread(now, THREADS_PER_PERSON_DAY * people, "discussion started", self._thread)
        self.spread(now, ASKS_PER_ENGINEER_WEEK * engineers / 7, "ask posted", self._ask)
        self.spread(now, INSTITUTION_ASKS_PER_WEEK / 7, "ask posted", self._institution_ask)
        self.spread(now, PROJECTS_PER_WEEK / 7, "project posted", self._project)
        self.spread(
            now, APPLICATIONS_PER_ENGINEER_DAY * engineers, "cohort application", self._apply
        )
        self.spread(now, NOMINATIONS_PER_WEEK / 7, "nomination", self._nominate)
        self.spread(now, HIDDEN_POSTS_PER_WEEK / 7, "post hidden", self._hide)
        if (local.weekday(), local.hour) == PANEL_CALL_AT:
            self.at(
                now + timedelta(minutes=self.rng.randint(0, 59)), "panel call opened", self._call
            )
        if local.weekday() < 5 and 9 <= local.hour < 17:
            for _n in range(poisson(self.rng, VERIFICATIONS_PER_WORKDAY / 8)):
                when = now + timedelta(seconds=self.rng.uniform(0, 3599))
                self.at(when, "PEC number decided", self._verify)
        self._mentorships(now)

    # --- the community --------------------------------------------------------------------

    def _thread(self) -> None:
        from rabta.community import services as community

        author = self.rng.choice(self.people)
        category = self.rng.choice(self.categories)
        thread = community.thread_create(
            user=author,
            category=category,
            title=f"Question on {text(self.rng, 4)[:-1].lower()}",
            body=text(self.rng, 40),
        )
        self.threads[thread.pk] = [author.pk]
        for _n in range(poisson(self.rng, REPLIES_PER_THREAD)):
            self.at(
                self.clock.at + self.later(REPLY_MEAN_HOURS),
                "reply",
                lambda t=thread.pk: self._reply(t),
            )

    def _reply(self, thread_id: int) -> None:
        from rabta.accounts.models import User
        from rabta.community import services as community
        from rabta.community.models import Member, Thread

        thread = Thread.objects.select_related("category").get(pk=thread_id)
        participants = self.threads[thread_id]
        if len(participants) > 1 and self.rng.random() < AUTHOR_ANSWERS_BACK:
            author = User.objects.get(pk=participants[0])
        else:
            author = self.rng.choice(self.people)
        body = text(self.rng, 30)
        others = [pk for pk in participants if pk != author.pk]
        mention = others and self.rng.random() < MENTION_SHARE
        if mention:
            handle = Member.objects.get(user_id=self.rng.choice(others)).handle
            body = f"@{handle} {body}"
        community.reply_create(user=author, thread=thread, body=body)
        if mention:
            self.done["reply with a mention"] += 1
        participants.append(author.pk)
        if self.rng.random() < WATCH_ON_REPLY:
            community.subscription_set(user=author, thread=thread, on=True)

    def _call(self) -> None:
        from rabta.accounts.reference import Sector
        from rabta.community import services as community

        sector = self.rng.choice(Sector.values)
        community.call_open(
            actor=self.staff,
            data={
                "kind": "advisory_panel",
                "title": f"Advisory panel: {Sector(sector).label}",
                "body": text(self.rng, 60),
                "discipline": "",
                "sector": sector,
                "seats": 5,
                "closes_on": self.clock.at.astimezone(PKT).date() + timedelta(days=21),
            },
        )

    def _nominate(self) -> None:
        from rabta.community import services as community

        nominee = self.rng.choice(self.contributors)
        handle = community.member_ensure(user=nominee).handle
        nominator = self.rng.choice(self.engineers)
        nomination = community.nomination_submit(
            user=nominator, handle=handle, citation=text(self.rng, 20)
        )
        accept = self.rng.random() < NOMINATION_ACCEPT_SHARE
        self.at(
            self.clock.at + self.later(72),
            "nomination decided",
            lambda: community.nomination_decide(
                reviewer=self.staff, nomination=nomination, accept=accept, note="Reviewed."
            ),
        )

    def _hide(self) -> None:
        from rabta.community import services as community
        from rabta.community.models import Post

        recent = list(
            Post.objects.filter(
                hidden_at__isnull=True,
                number__gt=1,
                created_at__gte=self.clock.at - 7 * DAY,
            ).values_list("pk", flat=True)
        )
        if recent:
            post = Post.objects.select_related("thread__category").get(pk=self.rng.choice(recent))
            community.post_hide(
                moderator=self.moderator, post=post, reason="Advertising, not a reply."
            )

    # --- Brain Gain ------------------------------------------------------------------------

    def _ask(self) -> None:
        from rabta.braingain import services as braingain
        from rabta.braingain.demo import SECTOR_TERMS, ask_data

        owner = self.rng.choice(self.verified)
        kind = self.rng.choice(["mentoring", "mentoring", "research_guidance", "startup_advising"])
        sector = self.rng.choice(list(SECTOR_TERMS))
        ask = braingain.ask_post(user=owner, data=ask_data(self.rng, self.skills, kind, sector))
        self._send(owner, ask)

    def _institution_ask(self) -> None:
        from rabta.accounts.models import InstitutionMembership
        from rabta.braingain import services as braingain
        from rabta.braingain.demo import ask_data

        membership = self.rng.choice(
            list(InstitutionMembership.objects.select_related("user").order_by("pk"))
        )
        sector = self.rng.choice(["power", "construction", "water", "software", "ai"])
        data = ask_data(
            self.rng,
            self.skills,
            "fyp_supervision",
            sector,
            institution_id=membership.institution_id,
        )
        ask = braingain.ask_post(user=membership.user, data=data)
        self._send(membership.user, ask)

    def _send(self, owner: Any, ask: Any) -> None:
        """The seeker reads the suggestions and asks one of the first three."""
        from rabta.braingain import services as braingain

        suggested = braingain.suggestions(ask=ask)[:3]
        if not suggested:
            self.refused["ask with no suggestion"] += 1
            return
        chosen = self.rng.choice(suggested).contributor_id
        self.act(
            "request sent by a seeker",
            lambda: braingain.request_send(user=owner, ask_id=ask.pk, contributor_id=chosen),
        )

    def _answer(self, request: Any) -> None:
        """Schedule the contributor's answer to a new request, or their silence."""
        from rabta.braingain import services as braingain

        if self.rng.random() < SILENT_SHARE:
            return
        delay = self.later(ANSWER_MEAN_HOURS)
        when = request.created_at + delay
        if when >= request.respond_by:
            return  # too late: it lapses
        accept = self.rng.random() < ACCEPT_SHARE
        contributor = request.contributor

        def answer() -> None:
            from rabta.core.errors import DomainError

            if accept:
                try:
                    braingain.request_respond(user=contributor, request_id=request.pk, accept=True)
                except DomainError:
                    pass  # full or paused now: they decline instead
                else:
                    self.done["request accepted"] += 1
                    self._agree(request.pk)
                    return
            braingain.request_respond(
                user=contributor, request_id=request.pk, accept=False, reason="No time now."
            )
            self.done["request declined"] += 1

        self.at(when, "request answered", answer)

    def _agree(self, request_id: int) -> None:
        from rabta.braingain import services as braingain
        from rabta.braingain.models import Mentorship

        mentorship = Mentorship.objects.select_related("mentor", "mentee").get(
            request_id=request_id
        )
        seeker_signs = self.clock.at + self.later(AGREE_MEAN_HOURS)
        mentor_signs = seeker_signs + self.later(AGREE_MEAN_HOURS)

        def seeker() -> None:
            braingain.mentorship_agreement_update(
                user=mentorship.mentee,
                mentorship_id=mentorship.pk,
                goals="Plan and deliver the work described in the ask.",
                schedule="One hour every two weeks, evenings in Pakistan.",
                expectations="The seeker prepares; the contributor reviews and advises.",
            )
            braingain.mentorship_sign(user=mentorship.mentee, mentorship_id=mentorship.pk)

        self.at(seeker_signs, "agreement signed by the seeker", seeker)
        self.at(
            mentor_signs,
            "agreement signed by the contributor",
            lambda: braingain.mentorship_sign(user=mentorship.mentor, mentorship_id=mentorship.pk),
        )

    def _mentorships(self, now: datetime) -> None:
        """Active mentorships plan sessions, log those held, and some finish."""
        from rabta.braingain import services as braingain
        from rabta.braingain.models import Mentorship, MentorshipSession

        for session in MentorshipSession.objects.filter(
            status="planned", starts_at__lt=now, mentorship__status="active"
        ).select_related("mentorship__mentor"):
            self.act(
                "session held",
                lambda s=session: braingain.session_hold(
                    user=s.mentorship.mentor, session_id=s.pk, notes="Reviewed; next steps."
                ),
            )
        hourly = 1 / (7 * 24)
        for mentorship in Mentorship.objects.filter(status="active").select_related(
            "mentor", "mentee"
        ):
            draw = self.rng.random()
            if draw < SESSIONS_PER_MENTORSHIP_WEEK * hourly:
                planner = self.rng.choice([mentorship.mentor, mentorship.mentee])
                starts = (now + timedelta(days=self.rng.randint(2, 10))).replace(minute=0)
                self.at(
                    now + timedelta(minutes=self.rng.randint(0, 59)),
                    "session planned",
                    lambda m=mentorship, p=planner, s=starts: braingain.session_schedule(
                        user=p, mentorship_id=m.pk, starts_at=s, duration_minutes=60
                    ),
                )
            elif draw < (SESSIONS_PER_MENTORSHIP_WEEK + MENTORSHIPS_COMPLETED_PER_WEEK) * hourly:
                if mentorship.sessions.filter(status="held").exists():
                    self.at(
                        now + timedelta(minutes=self.rng.randint(0, 59)),
                        "mentorship completed",
                        lambda m=mentorship: braingain.mentorship_complete(
                            user=m.mentor, mentorship_id=m.pk
                        ),
                    )
            elif (
                draw
                < (
                    SESSIONS_PER_MENTORSHIP_WEEK
                    + MENTORSHIPS_COMPLETED_PER_WEEK
                    + MENTORSHIPS_ENDED_PER_WEEK
                )
                * hourly
            ):
                self.at(
                    now + timedelta(minutes=self.rng.randint(0, 59)),
                    "mentorship ended early",
                    lambda m=mentorship: braingain.mentorship_end(
                        user=m.mentee, mentorship_id=m.pk, reason="Moved abroad.", rematch=False
                    ),
                )

    def _project(self) -> None:
        from rabta.accounts.models import InstitutionMembership
        from rabta.braingain import services as braingain
        from rabta.braingain.demo import ask_data

        membership = self.rng.choice(
            list(InstitutionMembership.objects.select_related("user").order_by("pk"))
        )
        sector = self.rng.choice(["power", "renewable_energy", "water", "construction"])
        data = ask_data(
            self.rng,
            self.skills,
            "consultancy",
            sector,
            budget_usd=Decimal(self.rng.choice([1500, 2500, 4000])),
            institution_id=membership.institution_id,
        )
        project = braingain.ask_post(user=membership.user, data=data)
        bidders = self.rng.sample(
            self.consultants,
            k=min(len(self.consultants), poisson(self.rng, PROPOSALS_PER_PROJECT)),
        )
        for bidder in bidders:
            price = Decimal(self.rng.choice([1200, 1800, 2400]))
            self.at(
                self.clock.at + self.later(36),
                "proposal sent",
                lambda b=bidder, p=price: braingain.proposal_submit(
                    user=b,
                    ask_id=project.pk,
                    price_usd=p,
                    plan=text(self.rng, 30),
                    milestones=[
                        {"title": "Review", "amount": str(p * Decimal("0.5")), "days": "10"},
                        {"title": "Report", "amount": str(p * Decimal("0.5")), "days": "10"},
                    ],
                ),
            )
        self.at(
            self.clock.at + timedelta(days=AWARD_AFTER_DAYS),
            "project awarded",
            lambda: self._award(membership.user, project.pk),
        )

    def _award(self, client: Any, project_id: int) -> None:
        from rabta.braingain import services as braingain
        from rabta.braingain.models import Proposal

        cheapest = (
            Proposal.objects.filter(ask_id=project_id, status="submitted")
            .order_by("price_usd", "pk")
            .first()
        )
        if cheapest is None:
            self.refused["project with no proposal"] += 1
            return
        engagement = braingain.proposal_award(user=client, proposal_id=cheapest.pk)
        consultant = engagement.consultant
        signs = self.clock.at + self.later(AGREE_MEAN_HOURS)
        self.at(
            signs,
            "contract signed",
            lambda: braingain.engagement_sign(user=consultant, engagement_id=engagement.pk),
        )
        signs += self.later(AGREE_MEAN_HOURS)
        self.at(
            signs,
            "contract signed",
            lambda: braingain.engagement_sign(user=client, engagement_id=engagement.pk),
        )
        first = engagement.milestones.order_by("position").first()
        assert first is not None
        self._milestone_deliver(first.pk, signs + self.later(MILESTONE_DAYS * 24))

    def _milestone_deliver(self, milestone_id: int, when: datetime) -> None:
        from rabta.braingain import services as braingain
        from rabta.braingain.models import Milestone

        def deliver() -> None:
            milestone = Milestone.objects.select_related("engagement__consultant").get(
                pk=milestone_id
            )
            braingain.milestone_submit(
                user=milestone.engagement.consultant,
                milestone_id=milestone_id,
                note="Delivered as agreed.",
                link="https://files.example.org/delivery",
            )
            self._milestone_review(milestone_id, self.clock.at + self.later(48))

        self.at(when, "milestone delivered", deliver)

    def _milestone_review(self, milestone_id: int, when: datetime) -> None:
        from rabta.braingain import services as braingain
        from rabta.braingain.models import Milestone

        def review() -> None:
            milestone = Milestone.objects.select_related(
                "engagement__client", "engagement__consultant"
            ).get(pk=milestone_id)
            engagement = milestone.engagement
            if milestone.status == "submitted" and self.rng.random() < CHANGES_SHARE:
                braingain.milestone_review(
                    user=engagement.client,
                    milestone_id=milestone_id,
                    accept=False,
                    note="Please add the load cases.",
                )
                self._milestone_deliver(milestone_id, self.clock.at + self.later(48))
                return
            braingain.milestone_review(
                user=engagement.client, milestone_id=milestone_id, accept=True
            )
            invoiced = self.clock.at + self.later(48)
            paid = invoiced + self.later(48)
            self.at(
                invoiced,
                "milestone invoiced",
                lambda: braingain.payment_record(
                    user=engagement.consultant, milestone_id=milestone_id, action="invoice"
                ),
            )
            self.at(
                paid,
                "milestone paid",
                lambda: braingain.payment_record(
                    user=engagement.client, milestone_id=milestone_id, action="mark_paid"
                ),
            )
            following = engagement.milestones.filter(
                position__gt=milestone.position, status="open"
            ).order_by("position")
            if following.exists():
                self._milestone_deliver(
                    following.first().pk,  # type: ignore[union-attr]
                    self.clock.at + self.later(MILESTONE_DAYS * 24),
                )

        self.at(when, "milestone reviewed", review)

    # --- the programme and accounts -----------------------------------------------------------

    def _apply(self) -> None:
        from rabta.programme import services as programme
        from rabta.programme.demo import PILOT_ANSWERS
        from rabta.programme.models import Application, Cohort

        cohort = Cohort.objects.get(slug="second-cohort-2027")
        applied = set(Application.objects.filter(cohort=cohort).values_list("user_id", flat=True))
        candidates = [
            u
            for u in self.engineers
            if u.pk not in applied and u.engineer_profile.verification_state != "rejected"
        ]
        if candidates:
            programme.application_submit(
                user=self.rng.choice(candidates),
                cohort_id=cohort.pk,
                data=PILOT_ANSWERS,
                now=self.clock.at,
            )

    def _offer_answer(self, application: Any) -> None:
        from rabta.programme import services as programme

        draw = self.rng.random()
        if draw >= OFFER_CONFIRM_SHARE + OFFER_DECLINE_SHARE:
            return  # they let it lapse
        when = self.clock.at + self.later(OFFER_ANSWER_MEAN_HOURS)
        if when >= application.offer_expires_at:
            return
        accept = draw < OFFER_CONFIRM_SHARE
        self.at(
            when,
            "offer confirmed" if accept else "offer declined",
            lambda: programme.offer_respond(
                user=application.user,
                application_id=application.pk,
                accept=accept,
                now=self.clock.at,
            ),
        )

    def _verify(self) -> None:
        from rabta.accounts.services import pec_verification_decide

        if not self.pending_pec:
            return
        profile = self.pending_pec.pop(0)
        reject = self.rng.random() < REJECT_SHARE
        pec_verification_decide(
            actor=self.staff,
            profile_id=profile.pk,
            decision="rejected" if reject else "verified",
            reviewed_pec_number=profile.pec_number,
            reason="The name does not match the register; upload your PEC card." if reject else "",
        )

    # --- after each hour ------------------------------------------------------------------------

    def _discover(self) -> None:
        """New requests and offers (from people, or from the jobs moving things on) get their
        answer scheduled, or their silence."""
        from django.db.models import Max

        from rabta.braingain.models import MatchRequest
        from rabta.programme.models import Application

        for request in (
            MatchRequest.objects.filter(pk__gt=self.seen_requests, status="pending")
            .select_related("contributor")
            .order_by("pk")
        ):
            self._answer(request)
        self.seen_requests = max(
            self.seen_requests, MatchRequest.objects.aggregate(last=Max("pk"))["last"] or 0
        )
        for application in Application.objects.filter(
            state="offered", offer_expires_at__gt=self.clock.at
        ).select_related("user"):
            key = (application.pk, application.offer_expires_at.isoformat())
            if key not in self.seen_offers:
                self.seen_offers.add(key)
                self._offer_answer(application)

    def _inbox_visits(self, now: datetime) -> None:
        from rabta.core.notifications import notifications_mark_read

        for group, rate in (
            (self.engineers, ENGINEER_INBOX_VISITS_PER_DAY),
            (self.contributors, CONTRIBUTOR_INBOX_VISITS_PER_DAY),
        ):
            for _n in range(poisson(self.rng, rate * len(group) / 24)):
                notifications_mark_read(user=self.rng.choice(group))


# --- the report ---------------------------------------------------------------------------------


def report(sim: Simulation, week_start: datetime, days: int) -> None:
    from rabta.core.kinds import kind_get
    from rabta.core.models import Email, Notification
    from rabta.core.preferences import DIGEST

    week_end = week_start + days * DAY
    emails = list(
        Email.objects.filter(created_at__gte=week_start, created_at__lt=week_end).values_list(
            "user_id", "kind", "created_at"
        )
    )
    notices = list(
        Notification.objects.filter(
            created_at__gte=week_start, created_at__lt=week_end
        ).values_list("user_id", "kind", "created_at", "delivery")
    )

    def day_of(moment: datetime) -> date:
        return moment.astimezone(PKT).date()

    print(f"\nPer day (Pakistan dates), the measured {days} days:")
    print(f"  {'day':<16}{'at once':>9}{'digests':>9}{'emails':>9}{'baseline':>10}")
    for n in range(days):
        today = (week_start + n * DAY).astimezone(PKT).date()
        now_ = sum(1 for _u, k, at in emails if k != DIGEST and day_of(at) == today)
        dig = sum(1 for _u, k, at in emails if k == DIGEST and day_of(at) == today)
        base = sum(1 for _u, _k, at, _d in notices if day_of(at) == today)
        print(f"  {today:%a %d %b %Y}{now_:>9,}{dig:>9,}{now_ + dig:>9,}{base:>10,}")
    total_now = sum(1 for _u, k, _at in emails if k != DIGEST)
    total_digest = len(emails) - total_now
    print(
        f"  {'all':<16}{total_now:>9,}{total_digest:>9,}{len(emails):>9,}{len(notices):>10,}"
        f"   (the defaults send {(1 - len(emails) / len(notices)) if notices else 0:.0%} fewer)"
    )

    per_email = Counter(u for u, _k, _at in emails)
    per_notice = Counter(u for u, _k, _at, _d in notices)
    per_day = Counter((u, day_of(at)) for u, _k, at in emails)
    contributors = {u.pk for u in sim.contributors}
    live = sim.live_participants
    engineers = {u.pk for u in sim.engineers}
    groups = (
        ("contributors", contributors),
        ("engineers", engineers),
        ("  in the live cohort", engineers & live),
        ("  not in it", engineers - live),
    )
    print(f"\nEmails per person in the {days} days (baseline: every notice emailed at once):")
    print(
        f"  {'':<22}{'people':>7}{'median':>8}{'p90':>6}{'max':>6}{'mean':>7}{'got any':>9}"
        f"   {'baseline median':>15}{'p90':>6}{'max':>6}{'mean':>7}"
    )
    for name, members in groups:
        got = [per_email[pk] for pk in members]
        base = [per_notice[pk] for pk in members]
        if not got:
            continue
        print(
            f"  {name:<22}{len(got):>7,}{statistics.median(got):>8.0f}"
            f"{nearest_rank(got, 0.9):>6}{max(got):>6}{statistics.fmean(got):>7.2f}"
            f"{sum(1 for g in got if g) / len(got):>9.0%}"
            f"   {statistics.median(base):>15.0f}{nearest_rank(base, 0.9):>6}{max(base):>6}"
            f"{statistics.fmean(base):>7.2f}"
        )
    others = set(per_email) - contributors - engineers
    if others:
        top = max(per_email[pk] for pk in others)
        print(f"  others (staff, institutions): {len(others)} people emailed, at most {top} each")
    if per_day:
        (busiest, on), most = per_day.most_common(1)[0]
        group = (
            "a contributor"
            if busiest in contributors
            else "an engineer"
            if busiest in engineers
            else "staff or an institution"
        )
        print(f"  most emails to one person in one day: {most} ({group}, {on:%a %d %b})")

    print("\nBy kind (the week's notices; each would be one email without digests):")
    print(
        f"  {'kind':<32}{'default':>9}{'notices':>9}{'at once':>9}{'digested':>10}"
        f"{'people':>8}{'most to one':>13}"
    )
    at_once = Counter(k for _u, k, _at in emails if k != DIGEST)
    by_kind: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for user_id, kind, _at, delivery in notices:
        by_kind[kind].append((user_id, delivery))
    for kind, rows in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        spec = kind_get(kind)
        default = "always" if spec.always else spec.delivery
        digested = sum(1 for _u, d in rows if d in ("daily", "weekly"))
        people = Counter(u for u, _d in rows)
        print(
            f"  {kind:<32}{default:>9}{len(rows):>9,}{at_once[kind]:>9,}{digested:>10,}"
            f"{len(people):>8,}{max(people.values()):>13}"
        )
    print(f"  {'digest emails':<32}{'':>9}{'':>9}{total_digest:>9,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engineers", type=int, default=2000)
    parser.add_argument("--contributors", type=int, default=300)
    parser.add_argument(
        "--smoke", action="store_true", help="120 engineers, 30 contributors, 1 + 2 days"
    )
    args = parser.parse_args()
    engineers, contributors = (120, 30) if args.smoke else (args.engineers, args.contributors)
    warmup, days = (1, 2) if args.smoke else (7, 7)

    began = time.perf_counter()
    django_ready()
    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("kombu").setLevel(logging.ERROR)  # "no hostname": the eager, brokerless run
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    print(
        f"load average {os.getloadavg()[0]:.2f} · SQLite · seed_demo {engineers:,} engineers, "
        f"{contributors:,} contributors · {warmup} days' warm-up, then {days} days measured"
    )
    # the smoke run skips classifying the demo's job postings (half a minute of model, no notice)
    skip = mock.patch("rabta.profiling.demo.postings_classify", return_value=0)
    with skip if args.smoke else contextlib.nullcontext():
        call_command(
            "seed_demo",
            engineers=engineers,
            contributors=contributors,
            i_know_this_is_not_production=True,
            stdout=io.StringIO(),
        )
    seeded = time.perf_counter() - began

    # the measured week starts on the first Monday, midnight in Pakistan, after the warm-up
    real = timezone.now().astimezone(PKT) + warmup * DAY
    monday = real.date() + timedelta(days=7 - real.weekday())
    week_start = datetime(monday.year, monday.month, monday.day, tzinfo=PKT)
    start = week_start - warmup * DAY
    hours = (warmup + days) * 24
    clock = Clock(start)
    rng = random.Random(SEED)
    with mock.patch.object(timezone, "now", clock.now):
        sim = Simulation(rng, clock, start, hours)
        sim.prepare(week_start, days)
        sent_in_week = 0
        for n in range(hours):
            now = start + n * HOUR
            mail.outbox = []
            sim.hour(now)
            if now >= week_start:
                sent_in_week += len(mail.outbox)
        simulated = time.perf_counter() - began - seeded

        print(f"seeded in {seeded:.0f} s; {hours} simulated hours in {simulated:.0f} s")
        print(f"week of {week_start:%a %d %b %Y} (Pakistan time)")
        print("\nWhat people did over the warm-up and the week (the services' own counts):")
        for label, count in sorted(sim.done.items()):
            print(f"  {label:<56}{count:>7,}")
        if sim.refused:
            print("  refused by the services (as they would refuse a person):")
            for label, count in sorted(sim.refused.items()):
                print(f"    {label:<60}{count:>6,}")
        report(sim, week_start, days)
        print(f"\nmessages the mail backend received in the week: {sent_in_week:,}")


if __name__ == "__main__":
    main()
