"""Writes for portfolios, one module per domain noun: the portfolio and its case studies
(``portfolios``), their evidence (``evidence``), proposal and contract drafts (``drafts``) and
the outcome log (``outcomes``).  Reads are in ``rabta.portfolio.selectors``."""

from rabta.portfolio.services.drafts import (
    CONTRACT_FIELDS,
    MILESTONES_MAX,
    PROPOSAL_FIELDS,
    contract_delete,
    contract_save,
    proposal_save,
)
from rabta.portfolio.services.evidence import attachment_add, attachment_delete
from rabta.portfolio.services.outcomes import (
    REMINDER_DAYS,
    REMINDER_WINDOW_DAYS,
    outcome_delete,
    outcome_log,
    outcome_reminders_send,
)
from rabta.portfolio.services.portfolios import (
    ITEM_FIELDS,
    ITEM_SKILLS_MAX,
    ITEMS_MAX,
    item_delete,
    item_save,
    portfolio_ensure,
    portfolio_update,
)

__all__ = [
    "CONTRACT_FIELDS",
    "ITEMS_MAX",
    "ITEM_FIELDS",
    "ITEM_SKILLS_MAX",
    "MILESTONES_MAX",
    "PROPOSAL_FIELDS",
    "REMINDER_DAYS",
    "REMINDER_WINDOW_DAYS",
    "attachment_add",
    "attachment_delete",
    "contract_delete",
    "contract_save",
    "item_delete",
    "item_save",
    "outcome_delete",
    "outcome_log",
    "outcome_reminders_send",
    "portfolio_ensure",
    "portfolio_update",
    "proposal_save",
]
