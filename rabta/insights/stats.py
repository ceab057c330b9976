"""Every stat the dashboards publish, declared once: which events it counts, whether a person is
counted once, what it sums, and which dimensions it is cut by.  The fill job and the dashboards
both read this list; adding a stat is adding a line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rabta.core.services import EVENT_DIMENSIONS

PEOPLE = ("province", "district", "gender", "discipline", "career")


def days_bucket(days: float | None) -> str:
    """Time to first engagement, in the bands the outcomes tile shows."""
    if days is None:
        return ""
    for upper, label in ((30, "0-30"), (90, "31-90"), (180, "91-180"), (365, "181-365")):
        if days <= upper:
            return label
    return "366+"


def hours_bucket(hours: float | None) -> str:
    """Time a contributor took to answer a request."""
    if hours is None:
        return ""
    for upper, label in ((24, "0-24"), (72, "25-72"), (120, "73-120")):
        if hours <= upper:
            return label
    return "121+"


DAY_BUCKETS = ("0-30", "31-90", "91-180", "181-365", "366+")
HOUR_BUCKETS = ("0-24", "25-72", "73-120", "121+")


@dataclass(frozen=True)
class Stat:
    name: str
    kinds: tuple[str, ...]
    label: object
    dims: tuple[str, ...] = ()
    # "actor" or "subject": count each person (or each application) once, at their first event
    once_per: str = ""
    # the events' item, or a band computed from their value, is kept as the rollup's item
    item: str = ""  # "" | "event" | "bucket"
    bucket: Callable[[float | None], str] | None = None
    unit: str = ""  # what ``total`` adds up: "usd", "hours"

    def item_of(self, event_item: str, value: float | None) -> str:
        if self.item == "event":
            return event_item
        if self.item == "bucket" and self.bucket is not None:
            return self.bucket(value)
        return ""


STATS: tuple[Stat, ...] = (
    # the programme funnel, in order
    Stat("registered", ("user.registered",), _("Registered")),
    Stat(
        "profiled",
        ("engineer.profile_completed",),
        _("Engineer profile"),
        PEOPLE,
        once_per="subject",
    ),
    Stat("verified", ("engineer.pec_verified",), _("PEC verified"), PEOPLE, once_per="subject"),
    Stat(
        "assessed",
        ("assessed",),
        _("Assessed"),
        (*PEOPLE, "pathway"),
        once_per="actor",
    ),
    Stat("applied", ("programme.applied",), _("Applied"), PEOPLE),
    Stat("seated", ("programme.seated",), _("Took a seat"), PEOPLE),
    Stat(
        "attended",
        ("programme.attended",),
        _("Attended a session"),
        PEOPLE,
        once_per="subject",
    ),
    Stat("certified", ("programme.certified",), _("Certified"), PEOPLE),
    Stat(
        "published",
        ("portfolio.published",),
        _("Published a portfolio"),
        PEOPLE,
        once_per="actor",
    ),
    Stat(
        "proposing",
        ("outcome.proposals",),
        _("Sent proposals"),
        (*PEOPLE, "pathway"),
        once_per="actor",
    ),
    Stat(
        "engaged",
        ("first_engagement",),
        _("First engagement"),
        (*PEOPLE, "pathway"),
        once_per="actor",
        item="bucket",
        bucket=days_bucket,
    ),
    # attendance per session
    Stat("present", ("programme.attended",), _("Present"), item="event"),
    Stat("excused", ("programme.excused",), _("Excused (outage)"), item="event"),
    # skill and readiness gaps, counted per completed assessment
    Stat(
        "skill_gap",
        ("profiling.skill_gap",),
        _("Missing essential skill"),
        ("pathway",),
        item="event",
    ),
    Stat(
        "readiness_gap",
        ("profiling.readiness_gap",),
        _("Digital-readiness gap"),
        ("gender", "province", "career"),
        item="event",
    ),
    # outcomes
    Stat(
        "earnings",
        ("outcome.earning",),
        _("Payments reported"),
        ("province", "gender", "discipline", "pathway"),
        unit="usd",
    ),
    # Brain Gain
    Stat(
        "contributors",
        ("contributor.profile_completed",),
        _("Contributors"),
        ("country",),
        once_per="subject",
    ),
    Stat("asks", ("braingain.ask_posted",), _("Asks posted"), ("sector", "province")),
    Stat(
        "matches",
        ("braingain.matched",),
        _("Asks matched"),
        ("sector", "country"),
        item="bucket",
        bucket=hours_bucket,
        unit="hours",
    ),
    Stat("sessions_held", ("braingain.session_held",), _("Mentoring sessions held"), ("country",)),
    Stat(
        "mentorships_done",
        ("braingain.mentorship_completed",),
        _("Mentorships completed"),
        ("sector", "country"),
        unit="hours",
    ),
    Stat(
        "engagements",
        ("braingain.engagement_awarded",),
        _("Consultancy engagements"),
        ("sector", "country"),
    ),
)

BY_NAME = {stat.name: stat for stat in STATS}
FUNNEL = (
    "registered",
    "profiled",
    "verified",
    "assessed",
    "applied",
    "seated",
    "attended",
    "certified",
    "published",
    "proposing",
    "engaged",
)
BY_KIND: dict[str, list[Stat]] = {}
for _stat in STATS:
    assert set(_stat.dims) <= set(EVENT_DIMENSIONS), _stat.name
    for _kind in _stat.kinds:
        BY_KIND.setdefault(_kind, []).append(_stat)
