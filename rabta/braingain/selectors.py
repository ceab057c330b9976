"""Reads for the portal, each scoped to the person asking.

One permission-checked fetch per entity: it returns the object and the viewer's part in it
(the part the state machines check) or raises NotFound, the same for "does not exist" and
"not yours", so ids cannot be probed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum

from rabta.accounts.models import (
    ContributorProfile,
    EngineerProfile,
    InstitutionMembership,
    User,
)
from rabta.accounts.reference import ContributionType
from rabta.accounts.roles import Role
from rabta.braingain.facts import ask_facts as ask_facts
from rabta.braingain.facts import asked_contributors as asked_contributors
from rabta.braingain.facts import contributor_facts as contributor_facts
from rabta.braingain.facts import utc_offset_minutes as utc_offset_minutes
from rabta.braingain.models import (
    Ask,
    AskStatus,
    CalendarFeed,
    Deliverable,
    Engagement,
    EngagementStatus,
    FitCheck,
    MatchingRound,
    MatchRequest,
    Mentorship,
    MentorshipSession,
    MentorshipStatus,
    Milestone,
    MilestoneMeeting,
    Proposal,
    ProposalStatus,
    Rating,
    RequestStatus,
    RoundAssignment,
    RoundConstraint,
    SessionFeedback,
    SessionStatus,
    TimeEntry,
)
from rabta.core.errors import NotFound
from rabta.engine.pathways import pathway as pathway_get
from rabta.profiling.selectors import latest_result

STAFF_PERMISSION = "braingain.view_programme_report"
PAKISTAN = ZoneInfo("Asia/Karachi")


def is_staff(user: User) -> bool:
    return user.has_perm(STAFF_PERMISSION)


def user_zone(user: User) -> ZoneInfo:
    """The time zone a person reads times in (``User.zone``: their own choice, a contributor's
    zone, otherwise Pakistan's)."""
    return user.zone


def _member_institutions(user: User) -> Any:
    return InstitutionMembership.objects.filter(user=user).values("institution_id")


def is_member(*, user: User, institution_id: int) -> bool:
    return InstitutionMembership.objects.filter(user=user, institution_id=institution_id).exists()


def institutions_of(*, user: User) -> list[tuple[int, str]]:
    """The institutions ``user`` may post for, as (id, name) choices."""
    return list(user.institutions.order_by("name").values_list("pk", "name"))


def is_engineer(user: User) -> bool:
    return hasattr(user, "engineer_profile")


def can_ask(user: User) -> bool:
    """An engineer asks for themselves; an institution's member asks for it."""
    return is_engineer(user) or user.institutions.exists()


def contributor_profile(*, user: User) -> ContributorProfile | None:
    return ContributorProfile.objects.filter(user=user).first()


def contribution_types(user: User) -> list[str]:
    """The kinds of help ``user`` offers (none without a contributor profile)."""
    profile = contributor_profile(user=user)
    return list(profile.contribution_types) if profile is not None else []


def contributor_country(user: User) -> str:
    """Where a contributor lives, for the events that dashboards count by country."""
    profile = ContributorProfile.objects.filter(user=user).only("country").first()
    return str(profile.country) if profile is not None else ""


def contributors_by_id(user_ids: list[int]) -> dict[int, tuple[User, ContributorProfile | None]]:
    """People to show as suggestions, with their contributor profiles, in two queries."""
    people = User.objects.in_bulk(user_ids)
    profiles = {p.user_id: p for p in ContributorProfile.objects.filter(user_id__in=list(people))}
    return {pk: (person, profiles.get(pk)) for pk, person in people.items()}


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


# what an ask's page shows: call only with an ask from ask_get_for_user and the viewer's part


def ask_requests(ask: Ask) -> list[MatchRequest]:
    return list(ask.requests.select_related("contributor"))


def ask_waiting(ask: Ask) -> bool:
    """Whether the ask waits for an answer (then no other request can go)."""
    return ask.requests.filter(status=RequestStatus.PENDING).exists()


def ask_proposals(ask: Ask) -> list[Proposal]:
    return list(ask.proposals.select_related("contributor"))


def proposal_of(ask: Ask, *, user: User) -> Proposal | None:
    return ask.proposals.filter(contributor=user).first()


def ask_engagement(ask: Ask) -> Engagement | None:
    return Engagement.objects.filter(ask=ask).first()


def proposed_ask_ids(*, user: User, asks: list[Ask]) -> set[int]:
    """Which of ``asks`` ``user`` has already sent a proposal for."""
    return set(user.bg_proposals.filter(ask__in=asks).values_list("ask_id", flat=True))


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


def requests_waiting_for(*, user: User) -> list[MatchRequest]:
    """The requests ``user`` has still to answer."""
    return list(requests_for_contributor(user=user).filter(status=RequestStatus.PENDING))


def request_mentorship(request: MatchRequest) -> Mentorship | None:
    """The mentorship an accepted request made."""
    return Mentorship.objects.filter(request=request).first()


def seeker_background(ask: Ask) -> tuple[EngineerProfile | None, str]:
    """What a contributor sees of the engineer who asked (nothing of an institution's ask): the
    engineer's profile and the pathway their career assessment chose."""
    if ask.institution_id is not None:
        return None, ""
    profile = getattr(ask.owner, "engineer_profile", None)
    if profile is None:
        return None, ""
    result = latest_result(user=ask.owner)
    chosen = result.chosen_pathway if result is not None else ""
    return profile, pathway_get(chosen).title if chosen else ""


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


def mentorship_sessions(
    mentorship: Mentorship,
) -> list[tuple[MentorshipSession, list[SessionFeedback]]]:
    """Each session with its feedback, in two queries."""
    return [(s, list(s.feedback.all())) for s in mentorship.sessions.prefetch_related("feedback")]


def mentorship_fit_checks(mentorship: Mentorship) -> list[FitCheck]:
    return list(mentorship.fit_checks.all())


def mentorship_time_entries(mentorship: Mentorship, *, limit: int = 20) -> list[TimeEntry]:
    return list(mentorship.time_entries.all()[:limit])


def certificate_get(*, code: str) -> Mentorship | None:
    """The completed mentorship a certificate code names: public, for anyone to verify."""
    return (
        Mentorship.objects.select_related("mentor", "ask")
        .filter(certificate_code=code.upper()[:12], status=MentorshipStatus.COMPLETED)
        .first()
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


def contributor_given(*, user_id: int) -> dict[str, Any]:
    """What a contributor has given through the portal: hours mentored (sessions held and time
    logged), mentorships and final-year projects completed, consultancy engagements completed."""
    held = MentorshipSession.objects.filter(
        mentorship__mentor_id=user_id, status=SessionStatus.HELD
    ).aggregate(total=Sum("duration_minutes"))["total"]
    logged = TimeEntry.objects.filter(mentorship__mentor_id=user_id).aggregate(
        total=Sum("minutes")
    )["total"]
    finished = Mentorship.objects.filter(mentor_id=user_id, status=MentorshipStatus.COMPLETED)
    return {
        "hours": round((int(held or 0) + int(logged or 0)) / 60, 1),
        "mentorships": finished.exclude(kind=ContributionType.FYP_SUPERVISION).count(),
        "projects_supervised": finished.filter(kind=ContributionType.FYP_SUPERVISION).count(),
        "engagements": Engagement.objects.filter(
            consultant_id=user_id, status=EngagementStatus.COMPLETED
        ).count(),
    }


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


def engagement_milestones(engagement: Engagement) -> list[tuple[Milestone, list[Deliverable]]]:
    """Each milestone with its deliveries, in two queries."""
    return [
        (m, list(m.deliverables.all()))
        for m in engagement.milestones.prefetch_related("deliverables")
    ]


def engagement_ratings(engagement: Engagement) -> list[Rating]:
    return list(engagement.ratings.select_related("author"))


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


def rounds_for_staff(*, user: User, limit: int = 50) -> list[MatchingRound]:
    if not user.has_perm("braingain.run_matching_round"):
        raise NotFound()
    return list(MatchingRound.objects.all()[:limit])


def round_asks(matching_round: MatchingRound) -> list[Ask]:
    """The seekers of a round: open asks of its kind that are not waiting for an answer."""
    return list(
        Ask.objects.filter(kind=matching_round.kind, status=AskStatus.OPEN)
        .exclude(requests__status=RequestStatus.PENDING)
        .order_by("pk")
    )


def round_assignments(matching_round: MatchingRound, *, limit: int = 500) -> list[RoundAssignment]:
    return list(
        matching_round.assignments.select_related("ask", "contributor").order_by("ask_id")[:limit]
    )


def round_constraints(matching_round: MatchingRound) -> list[RoundConstraint]:
    return list(matching_round.constraints.select_related("ask", "contributor"))


def proposals_open(ask: Ask) -> QuerySet[Proposal]:
    return ask.proposals.filter(status=ProposalStatus.SUBMITTED).select_related("contributor")


# --- meetings: milestone meetings and each person's calendar feed --------------------------------

CALENDAR_MAX = 500
CALENDAR_PAST = timedelta(days=30)  # how far back a calendar feed goes


def milestone_meeting_get_for_user(*, user: User, meeting_id: int) -> tuple[MilestoneMeeting, str]:
    """A milestone meeting with its milestone and engagement loaded, and the viewer's part in
    the engagement."""
    meeting = (
        MilestoneMeeting.objects.select_related("milestone", "created_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    milestone, part = milestone_get_for_user(user=user, milestone_id=meeting.milestone_id)
    meeting.milestone = milestone
    return meeting, part


def engagement_meetings(engagement: Engagement) -> dict[int, list[MilestoneMeeting]]:
    """The meetings of each of the engagement's milestones, in one query."""
    found: dict[int, list[MilestoneMeeting]] = {}
    for meeting in MilestoneMeeting.objects.filter(milestone__engagement=engagement):
        found.setdefault(meeting.milestone_id, []).append(meeting)
    return found


def calendar_feed_user(token: str) -> User:
    """The person whose calendar feed secret ``token`` is (``services.calendar_feed_token``);
    an unknown or reset secret, or a closed account, is not found."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(secret=token, user__is_active=True)
        .first()
        if token
        else None
    )
    if feed is None:
        raise NotFound()
    return feed.user


def calendar_sessions(*, user: User, since: datetime) -> list[MentorshipSession]:
    """``user``'s mentorship sessions from ``since`` on, for their calendar feed."""
    return list(
        MentorshipSession.objects.filter(
            Q(mentorship__mentor=user) | Q(mentorship__mentee=user), starts_at__gte=since
        )
        .select_related(
            "mentorship__ask",
            "mentorship__mentor__contributor_profile",
            "mentorship__mentee__contributor_profile",
            "created_by__contributor_profile",
        )
        .order_by("starts_at", "pk")[:CALENDAR_MAX]
    )


def calendar_milestone_meetings(*, user: User, since: datetime) -> list[MilestoneMeeting]:
    """The meetings of ``user``'s engagements from ``since`` on, for their calendar feed."""
    return list(
        MilestoneMeeting.objects.filter(
            milestone__engagement__in=engagements_for_user(user=user), starts_at__gte=since
        )
        .select_related(
            "milestone__engagement__ask",
            "milestone__engagement__client__contributor_profile",
            "milestone__engagement__consultant__contributor_profile",
            "created_by__contributor_profile",
        )
        .order_by("starts_at", "pk")[:CALENDAR_MAX]
    )
