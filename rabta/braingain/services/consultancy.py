"""Consultancy: proposals for a project, the award that makes an engagement, the contract both
parties sign, the end of the work and the ratings.  Milestones and payments are in
``milestones.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.reference import ContributionType
from rabta.braingain import selectors, states
from rabta.braingain.models import (
    Ask,
    AskStatus,
    Engagement,
    EngagementStatus,
    Milestone,
    MilestoneMeeting,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
    Rating,
)
from rabta.braingain.services.capacity import place_claim, place_release
from rabta.braingain.services.conversations import conversation_for_match
from rabta.braingain.services.meetings import meetings_cancel_planned
from rabta.core.errors import DomainError, ErrorCode, NotFound, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated

CONTRACT_TEMPLATE = (
    "Consultancy agreement under the Brain Gain Portal of the Pakistan Engineering Council.\n\n"
    "Client: {client}\nConsultant: {consultant}\nProject: {title}\n\n"
    "1. Scope. The consultant delivers the work described in the project's terms of reference "
    "and in the accepted proposal, by the milestones below.\n"
    "2. Price. The total price is USD {price}, paid by milestone. Payment is made between the "
    "parties directly; the portal records its status but does not hold or move money.\n"
    "3. Acceptance. The client reviews each delivery within 7 days and either accepts it or "
    "says what does not meet the scope; each milestone includes two rounds of changes.\n"
    "4. Confidentiality. Each party keeps the other's confidential information secret and uses "
    "it only for this work.\n"
    "5. Ownership. The client owns the deliverables once they are paid for; the consultant "
    "keeps general know-how and tools.\n"
    "6. Professional responsibility. Designs that must be sealed in Pakistan are reviewed and "
    "sealed by the client's PEC-registered engineer of record.\n"
    "7. Ending. Either party may end the agreement with 7 days' written notice through the "
    "portal; accepted milestones are paid.\n\n"
    "Milestones:\n{milestones}\n"
)


def _proposer_check(user: User, ask: Ask) -> None:
    if ask.status != AskStatus.OPEN:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This project is no longer open."))
    if ContributionType.CONSULTANCY not in selectors.contribution_types(user):
        raise DomainError(
            ErrorCode.NOT_ELIGIBLE,
            _("Add consultancy to the ways you help in your contributor profile first."),
        )


def _milestones_check(price_usd: Decimal, milestones: list[dict[str, Any]]) -> None:
    if not milestones or len(milestones) > 10:
        raise invalid("milestones", _("Give between 1 and 10 milestones."))
    total = sum((Decimal(str(m["amount"])) for m in milestones), Decimal(0))
    if total != price_usd:
        raise invalid(
            "milestones",
            _("The milestones add up to %(total)s USD; the price is %(price)s USD.")
            % {"total": total, "price": price_usd},
        )


def proposal_submit(
    *,
    user: User,
    ask_id: int,
    price_usd: Decimal,
    plan: str,
    milestones: list[dict[str, Any]],
) -> Proposal:
    with transaction.atomic():
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
        if part != "contributor" or not ask.is_project:
            raise NotFound()
        _proposer_check(user, ask)
        _milestones_check(price_usd, milestones)
        proposal = Proposal(
            ask=ask, contributor=user, price_usd=price_usd, plan=plan.strip(), milestones=milestones
        )
        try:
            with transaction.atomic():
                save_validated(proposal, exclude=["ask", "contributor"])
        except IntegrityError:
            raise DomainError(
                ErrorCode.CONFLICT, _("You have already sent a proposal for this project.")
            ) from None
        audit_record(actor=user, action="proposal.submit", target=proposal)
        notify(
            ask.owner,
            "braingain.proposal",
            proposal,
            {"title": ask.title},
            url=reverse("braingain:ask", args=[ask.pk]),
        )
    return proposal


def proposal_withdraw(*, user: User, proposal_id: int) -> Proposal:
    with transaction.atomic():
        proposal, part = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        states.transition(states.PROPOSAL, proposal, "withdraw", part=part, actor=user)
    return proposal


def _contract_text(ask: Ask, proposal: Proposal) -> str:
    client = ask.institution.name if ask.institution else ask.owner.display_name
    lines = "\n".join(
        f"{n}. {m['title']}: USD {Decimal(str(m['amount'])):,.2f}, {m['days']} days"
        for n, m in enumerate(proposal.milestones, start=1)
    )
    return CONTRACT_TEMPLATE.format(
        client=client,
        consultant=proposal.contributor.display_name,
        title=ask.title,
        price=f"{proposal.price_usd:,.2f}",
        milestones=lines,
    )


def _engagement_create(ask: Ask, proposal: Proposal) -> Engagement:
    engagement = Engagement.objects.create(
        ask=ask,
        proposal=proposal,
        client=ask.owner,
        consultant=proposal.contributor,
        price_usd=proposal.price_usd,
        contract_text=_contract_text(ask, proposal),
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                engagement=engagement,
                position=n,
                title=m["title"],
                amount_usd=Decimal(str(m["amount"])),
                days=int(m["days"]),
            )
            for n, m in enumerate(proposal.milestones, start=1)
        ]
    )
    return engagement


def proposal_award(*, user: User, proposal_id: int) -> Engagement:
    with transaction.atomic():
        proposal, part = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
        ask = Ask.objects.select_for_update().get(pk=proposal.ask_id)
        proposal = (
            Proposal.objects.select_for_update().select_related("contributor").get(pk=proposal.pk)
        )
        if ask.status != AskStatus.OPEN:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This project is no longer open."))
        states.transition(states.PROPOSAL, proposal, "award", part=part, actor=user)
        place_claim(proposal.contributor_id)
        ask.matched_at = timezone.now()
        states.transition(
            states.ASK, ask, "match", part="client", actor=user, fields=["matched_at"]
        )
        for other in ask.proposals.filter(status=ProposalStatus.SUBMITTED):
            states.transition(states.PROPOSAL, other, "pass_over", part="system", actor=user)
        engagement = _engagement_create(ask, proposal)
        conversation_for_match(engagement=engagement)
        audit_record(actor=user, action="engagement.create", target=engagement)
        event_record(
            kind="braingain.engagement_awarded",
            actor_id=user.pk,
            subject=engagement,
            sector=ask.sector,
            country=selectors.contributor_country(proposal.contributor),
        )
        notify(
            proposal.contributor,
            "braingain.awarded",
            engagement,
            {"title": ask.title},
            url=reverse("braingain:engagement", args=[engagement.pk]),
        )
    return engagement


def _engagement_locked(user: User, engagement_id: int) -> tuple[Engagement, str]:
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    locked.ask = engagement.ask
    locked.client = engagement.client
    locked.consultant = engagement.consultant
    return locked, part


def engagement_sign(*, user: User, engagement_id: int) -> Engagement:
    """Each party signs the contract; the second signature starts the work."""
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        if part not in ("client", "consultant"):
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the two parties sign."))
        if engagement.status != EngagementStatus.CONTRACTING:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The contract is already signed."))
        field = f"{part}_signed_at"
        if getattr(engagement, field) is None:
            setattr(engagement, field, timezone.now())
            engagement.save(update_fields=[field, "updated_at"])
            audit_record(actor=user, action="engagement.sign", target=engagement, part=part)
        if engagement.client_signed_at and engagement.consultant_signed_at:
            states.transition(states.ENGAGEMENT, engagement, "start", part=part, actor=user)
    return engagement


def engagement_cancel(*, user: User, engagement_id: int, reason: str) -> Engagement:
    if not reason.strip() or len(reason) > 300:
        raise invalid("reason", _("Give a short reason (up to 300 characters)."))
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        engagement.finished_at = timezone.now()
        engagement.cancel_reason = reason.strip()
        states.transition(
            states.ENGAGEMENT,
            engagement,
            "cancel",
            part=part,
            actor=user,
            fields=["finished_at", "cancel_reason"],
            reason=reason,
        )
        place_release(engagement.consultant_id)
        for milestone in engagement.milestones.filter(
            status__in=[MilestoneStatus.OPEN, MilestoneStatus.REVISION]
        ):
            states.transition(states.MILESTONE, milestone, "cancel", part="staff", actor=user)
        meetings_cancel_planned(
            MilestoneMeeting.objects.filter(milestone__engagement=engagement), actor=user
        )
    return engagement


def engagement_complete(*, user: User, engagement_id: int) -> Engagement:
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        if (
            part == "client"
            and engagement.milestones.exclude(
                status__in=[MilestoneStatus.ACCEPTED, MilestoneStatus.CANCELLED]
            ).exists()
        ):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("Accept or cancel every milestone before completing."),
            )
        engagement.finished_at = timezone.now()
        states.transition(
            states.ENGAGEMENT, engagement, "complete", part=part, actor=user, fields=["finished_at"]
        )
        place_release(engagement.consultant_id)
        meetings_cancel_planned(
            MilestoneMeeting.objects.filter(milestone__engagement=engagement), actor=user
        )
        ask = Ask.objects.select_for_update().get(pk=engagement.ask_id)
        if ask.status == AskStatus.MATCHED:
            states.transition(states.ASK, ask, "close", part="system", actor=user)
        event_record(
            kind="braingain.engagement_completed",
            actor_id=user.pk,
            subject=engagement,
            sector=ask.sector,
            country=selectors.contributor_country(engagement.consultant),
        )
    return engagement


def rating_leave(*, user: User, engagement_id: int, stars: int, comment: str) -> Rating:
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    if part not in ("client", "consultant"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the two parties rate each other."))
    if engagement.status != EngagementStatus.COMPLETED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Ratings open when the work is complete.")
        )
    subject = engagement.consultant if part == "client" else engagement.client
    rating = Rating(
        engagement=engagement, author=user, subject=subject, stars=stars, comment=comment.strip()
    )
    try:
        with transaction.atomic():
            save_validated(rating, exclude=["engagement", "author", "subject"])
    except IntegrityError:
        raise DomainError(
            ErrorCode.CONFLICT, _("You have already rated this engagement.")
        ) from None
    return rating
