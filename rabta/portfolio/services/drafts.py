"""Proposal and contract drafts from the first-engagement kit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import invalid
from rabta.portfolio import selectors
from rabta.portfolio.models import Contract, ContractKind, Proposal
from rabta.portfolio.services.fields import fields_assign, model_clean, pathway_valid

MILESTONES_MAX = 10
PROPOSAL_FIELDS = (
    "pathway",
    "job_post",
    "client_budget",
    "understanding",
    "approach",
    "milestone_title",
    "milestone_amount",
    "milestone_days",
    "questions",
    "item_id",
)
CONTRACT_FIELDS = (
    "kind",
    "engineer_name",
    "engineer_city",
    "client_name",
    "client_country",
    "scope",
    "start_on",
    "milestones",
    "hourly_rate",
    "weekly_hours_cap",
    "platform",
    "governing_law",
)


def proposal_save(*, user: User, proposal_id: int | None = None, **fields: Any) -> Proposal:
    proposal = (
        Proposal(owner=user)
        if proposal_id is None
        else selectors.proposal_get_for_owner(user=user, proposal_id=proposal_id)
    )
    if fields.get("item_id") is not None:  # the owner's own item, or not found
        fields["item_id"] = selectors.item_get_for_owner(user=user, item_id=fields["item_id"]).pk
    fields_assign(proposal, fields, PROPOSAL_FIELDS)
    proposal.pathway = pathway_valid(proposal.pathway)
    model_clean(proposal)
    proposal.save()
    return proposal


def _terms_checked(contract: Contract) -> None:
    """A fixed-price contract has milestones (not too many); an hourly one has its rate."""
    if contract.kind == ContractKind.FIXED:
        if not contract.milestones:
            raise invalid("milestones", _("Add at least one milestone."))
        if len(contract.milestones) > MILESTONES_MAX:
            raise invalid("milestones", _("Use at most %(n)d milestones.") % {"n": MILESTONES_MAX})
    elif contract.kind == ContractKind.HOURLY and not contract.hourly_rate:
        raise invalid("hourly_rate", _("Give the hourly rate."))


def contract_save(*, user: User, contract_id: int | None = None, **fields: Any) -> Contract:
    contract = (
        Contract(owner=user)
        if contract_id is None
        else selectors.contract_get_for_owner(user=user, contract_id=contract_id)
    )
    fields_assign(contract, fields, CONTRACT_FIELDS)
    _terms_checked(contract)
    model_clean(contract)
    contract.save()
    return contract


def contract_delete(*, user: User, contract_id: int) -> None:
    selectors.contract_get_for_owner(user=user, contract_id=contract_id).delete()
