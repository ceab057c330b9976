"""Reads for the portal, each scoped to the person asking.

One permission-checked fetch per entity: it returns the object and the viewer's part in it
(the part the state machines check) or raises NotFound, the same for "does not exist" and
"not yours", so ids cannot be probed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from rabta.accounts.models import ContributorProfile, InstitutionMembership, User
from rabta.accounts.reference import Availability, ContributionType
from rabta.accounts.roles import Role
from rabta.braingain.models import (
    Ask,
    AskMode,
    AskStatus,
    Engagement,
    MatchingRound,
    MatchRequest,
    Mentorship,
    MentorshipSession,
    Milestone,
    Proposal,
    ProposalStatus,
    RequestStatus,
    SessionStatus,
)
from rabta.core.errors import NotFound
from rabta.engine.matching import AskFacts, ContributorFacts

STAFF_PERMISSION = "braingain.view_programme_report"
PAKISTAN = ZoneInfo("Asia/Karachi")


def is_staff(user: User) -> bool:
    return user.has_perm(STAFF_PERMISSION)


def user_zone(user: User) -> ZoneInfo:
    """The time zone a person reads times in: a contributor's own, otherwise Pakistan's."""
    profile = ContributorProfile.objects.filter(user=user).only("time_zone").first()
    if profile is not None and profile.time_zone:
        try:
            return ZoneInfo(profile.time_zone)
        except (KeyError, ValueError):
            return PAKISTAN
    return PAKISTAN


def _member_institutions(user: User) -> Any:
    return InstitutionMembership.objects.filter(user=user).values("institution_id")


def asks_for_seeker(*, user: User) -> QuerySet[Ask]:
    return Ask.objects.filter(
        Q(owner=user) | Q(institution_id__in=_member_institutions(user))
    ).select_related("institution")


def ask_part(user: User, ask: Ask) -> str | None:
    if ask.owner_id == user.pk or (
        ask.institution_id
        and InstitutionMembership.objects.filter(
            user=user, institution_id=ask.institution_id
        ).exists()
    ):
        return "seeker"
    if is_staff(user):
        return "staff"
    if (
        ask.requests.filter(contributor=user).exists()
        or ask.proposals.filter(contributor=user).exists()
    ):
        return "contributor"
    if ask.is_project and ask.status == AskStatus.OPEN and user.has_role(Role.CONTRIBUTOR):
        return "contributor"
    return None


def ask_get_for_user(*, user: User, ask_id: int) -> tuple[Ask, str]:
    ask = Ask.objects.select_related("institution", "owner").filter(pk=ask_id).first()
    part = ask_part(user, ask) if ask is not None else None
    if ask is None or part is None:
        raise NotFound()
    return ask, part


def request_get_for_user(*, user: User, request_id: int) -> tuple[MatchRequest, str]:
    request = (
        MatchRequest.objects.select_related("ask", "ask__owner", "ask__institution", "contributor")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound()
    if request.contributor_id == user.pk:
        return request, "contributor"
    part = ask_part(user, request.ask)
    if part in ("seeker", "staff"):
        return request, part  # type: ignore[return-value]
    raise NotFound()


def requests_for_contributor(*, user: User) -> QuerySet[MatchRequest]:
    return MatchRequest.objects.filter(contributor=user).select_related("ask", "ask__institution")


def pending_count(*, user: User) -> int:
    return MatchRequest.objects.filter(ask__owner=user, status=RequestStatus.PENDING).count()


def mentorship_get_for_user(*, user: User, mentorship_id: int) -> tuple[Mentorship, str]:
    mentorship = (
        Mentorship.objects.select_related("ask", "mentor", "mentee", "ask__institution")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None:
        raise NotFound()
    if mentorship.mentor_id == user.pk:
        return mentorship, "mentor"
    if mentorship.mentee_id == user.pk:
        return mentorship, "mentee"
    if is_staff(user):
        return mentorship, "staff"
    raise NotFound()


def mentorships_for_user(*, user: User) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).select_related(
        "ask", "mentor", "mentee"
    )


def session_get_for_user(*, user: User, session_id: int) -> tuple[MentorshipSession, str]:
    session = MentorshipSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    mentorship, part = mentorship_get_for_user(user=user, mentorship_id=session.mentorship_id)
    session.mentorship = mentorship
    return session, part


def mentorship_minutes(mentorship: Mentorship) -> int:
    held = mentorship.sessions.filter(status=SessionStatus.HELD).aggregate(
        total=Sum("duration_minutes")
    )["total"]
    extra = mentorship.time_entries.aggregate(total=Sum("minutes"))["total"]
    return int(held or 0) + int(extra or 0)


def engagement_part(user: User, engagement: Engagement) -> str | None:
    if engagement.consultant_id == user.pk:
        return "consultant"
    if engagement.client_id == user.pk or (
        engagement.ask.institution_id
        and InstitutionMembership.objects.filter(
            user=user, institution_id=engagement.ask.institution_id
        ).exists()
    ):
        return "client"
    if is_staff(user):
        return "staff"
    return None


def engagement_get_for_user(*, user: User, engagement_id: int) -> tuple[Engagement, str]:
    engagement = (
        Engagement.objects.select_related("ask", "ask__institution", "client", "consultant")
        .filter(pk=engagement_id)
        .first()
    )
    part = engagement_part(user, engagement) if engagement is not None else None
    if engagement is None or part is None:
        raise NotFound()
    return engagement, part


def milestone_get_for_user(*, user: User, milestone_id: int) -> tuple[Milestone, str]:
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound()
    engagement, part = engagement_get_for_user(user=user, engagement_id=milestone.engagement_id)
    milestone.engagement = engagement
    return milestone, part


def engagements_for_user(*, user: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(
        Q(consultant=user) | Q(client=user) | Q(ask__institution_id__in=_member_institutions(user))
    ).select_related("ask", "consultant", "client")


def proposal_get_for_user(*, user: User, proposal_id: int) -> tuple[Proposal, str]:
    proposal = Proposal.objects.select_related("ask", "contributor").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound()
    if proposal.contributor_id == user.pk:
        return proposal, "consultant"
    part = ask_part(user, proposal.ask)
    if part == "seeker":
        return proposal, "client"
    if part == "staff":
        return proposal, "staff"
    raise NotFound()


def projects_open() -> QuerySet[Ask]:
    """The marketplace: open consultancy projects, soonest needed first."""
    return (
        Ask.objects.filter(kind=ContributionType.CONSULTANCY, status=AskStatus.OPEN)
        .select_related("institution")
        .order_by("deadline", "id")
    )


def round_get_for_staff(*, user: User, round_id: int) -> MatchingRound:
    if not user.has_perm("braingain.run_matching_round"):
        raise NotFound()
    found = MatchingRound.objects.filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


# --- facts for the engine ------------------------------------------------------------------


def utc_offset_minutes(zone_name: str, at: datetime | None = None) -> int:
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def contributor_facts(
    *, at: datetime | None = None, user_ids: list[int] | None = None
) -> list[ContributorFacts]:
    """Everyone who could be asked, with the places they have left once their pending requests
    are counted (a request they might accept holds a place in suggestions and rounds)."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    pending: dict[int, int] = {}
    waiting = MatchRequest.objects.filter(status=RequestStatus.PENDING)
    profiles = ContributorProfile.objects.filter(user__is_active=True)
    if user_ids is not None:
        waiting = waiting.filter(contributor_id__in=user_ids)
        profiles = profiles.filter(user_id__in=user_ids)
    for contributor_id in waiting.values_list("contributor_id", flat=True):
        pending[contributor_id] = pending.get(contributor_id, 0) + 1
    offsets: dict[str, int] = {}
    rows = profiles.values_list(
        "user_id",
        "contribution_types",
        "skills",
        "sectors",
        "languages",
        "time_zone",
        "hours_per_month",
        "capacity",
        "active_count",
        "availability",
        "paused_until",
        "country",
    )
    facts = []
    for (
        user_id,
        kinds,
        skills,
        sectors,
        languages,
        zone,
        hours,
        capacity,
        active,
        availability,
        paused_until,
        country,
    ) in rows.iterator(chunk_size=5000):
        paused = availability == Availability.PAUSED and (
            paused_until is None or paused_until >= today
        )
        if zone not in offsets:
            offsets[zone] = utc_offset_minutes(zone, now)
        facts.append(
            ContributorFacts(
                id=user_id,
                kinds=frozenset(kinds or ()),
                skills=frozenset(skills or ()),
                sectors=frozenset(sectors or ()),
                languages=frozenset(languages or ()),
                utc_offset_minutes=offsets[zone],
                hours_per_month=hours,
                capacity=capacity,
                load=active + pending.get(user_id, 0),
                available=not paused,
                in_pakistan=country == "PK",
            )
        )
    return facts


def ask_facts(ask: Ask) -> AskFacts:
    return AskFacts(
        id=ask.pk,
        kind=ask.kind,
        skills=frozenset(ask.skills or ()),
        sector=ask.sector,
        language=ask.language,
        hours_per_month=ask.hours_per_month,
        in_person=ask.mode == AskMode.IN_PERSON,
    )


def asked_contributors(ask: Ask) -> frozenset[int]:
    return frozenset(ask.requests.values_list("contributor_id", flat=True))


def proposals_open(ask: Ask) -> QuerySet[Proposal]:
    return ask.proposals.filter(status=ProposalStatus.SUBMITTED).select_related("contributor")
