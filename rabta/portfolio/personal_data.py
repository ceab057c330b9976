"""The portfolio's part of a person's data: the portfolio and its case studies with their
evidence files, contracts, proposal drafts and the outcome log (earnings included); the résumé
and contract PDFs are made afresh (see ``rabta.core.personal_data``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.files.storage import default_storage

from rabta.accounts.models import User
from rabta.core.personal_data import archive_path, delete, record, section_register
from rabta.portfolio.contracts import contract_pdf
from rabta.portfolio.exports import json_resume, resume_pdf
from rabta.portfolio.models import (
    Attachment,
    Contract,
    OutcomeEntry,
    OutcomeReminder,
    Portfolio,
    PortfolioItem,
    Proposal,
)


def _attachment_name(attachment: Attachment) -> str:
    extension = attachment.file.rsplit(".", 1)[-1] if "." in attachment.file else "bin"
    caption = attachment.label or attachment.token
    return f"evidence/item-{attachment.item_id}-{attachment.pk}-{caption}.{extension}"


def _item(item: PortfolioItem) -> dict[str, Any]:
    return {
        **record(item, exclude=("portfolio",)),
        "attachments": [
            {
                **record(
                    a,
                    only=("kind", "content_type", "size", "label", "cleared_for_redacted"),
                ),
                "created_at": a.created_at,
                "in_archive": archive_path("portfolio", _attachment_name(a)),
            }
            for a in item.attachments.all()
        ],
    }


def portfolio_export(user: User) -> dict[str, Any]:
    portfolio = Portfolio.objects.filter(owner=user).first()
    items = (
        PortfolioItem.objects.filter(portfolio=portfolio).prefetch_related("attachments")
        if portfolio
        else PortfolioItem.objects.none()
    )
    return {
        "portfolio": record(portfolio, exclude=("id", "owner")) if portfolio else None,
        "items": [_item(i) for i in items],
        "json_resume": json_resume(portfolio) if portfolio else None,
        "contracts": [record(c, exclude=("owner",)) for c in Contract.objects.filter(owner=user)],
        "proposals": [record(p, exclude=("owner",)) for p in Proposal.objects.filter(owner=user)],
        "outcomes": [
            record(o, exclude=("owner",)) for o in OutcomeEntry.objects.filter(owner=user)
        ],
        "outcome_reminders": [
            record(r, only=("day", "sent_at"))
            for r in OutcomeReminder.objects.filter(owner=user).order_by("day")
        ],
    }


def portfolio_files(user: User) -> Iterator[tuple[str, bytes]]:
    portfolio = Portfolio.objects.filter(owner=user).first()
    if portfolio is None:
        attachments = Attachment.objects.none()
    else:
        attachments = Attachment.objects.filter(item__portfolio=portfolio).order_by("pk")
    for attachment in attachments:
        try:
            with default_storage.open(attachment.file, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue  # a file lost from storage: the JSON still lists it
        yield _attachment_name(attachment), content
    if portfolio is not None:
        yield "portfolio.pdf", resume_pdf(portfolio)
    for contract in Contract.objects.filter(owner=user).order_by("pk"):
        yield f"contract-{contract.pk}.pdf", contract_pdf(contract)


section_register(
    app="portfolio",
    title="Your portfolio and case studies (evidence files in files/portfolio/evidence/), "
    "its résumé (JSON and PDF), contracts (with PDFs), proposal drafts, and your outcome log "
    "with earnings.",
    export=portfolio_export,
    files=portfolio_files,
    position=40,
    rules={
        "portfolio.Portfolio.owner": delete(
            "Case studies and their evidence files go with it (files are removed from storage)."
        ),
        "portfolio.Contract.owner": delete(),
        "portfolio.Proposal.owner": delete(),
        "portfolio.OutcomeEntry.owner": delete(),
        "portfolio.OutcomeReminder.owner": delete(),
    },
)
