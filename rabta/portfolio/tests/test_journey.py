"""The issue's 'done when', through the pages: a participant builds a portfolio that scores well,
exports it, drafts a proposal and a contract, and logs a first engagement that then shows in the
profiling calibration."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rabta.engine.pathways import pathway
from rabta.portfolio import exports
from rabta.portfolio.models import Contract, PortfolioItem, Proposal
from rabta.portfolio.tests.conftest import CAD, image_bytes
from rabta.portfolio.tests.test_kit import STRONG, contract_post
from rabta.profiling.models import PathwayPrior

pytestmark = pytest.mark.django_db


def test_from_portfolio_to_first_engagement(client, engineer):
    skills = [ref.id for ref in pathway(CAD).essential_skills[:3]]
    client.post(
        reverse("portfolio:home"),
        {
            "display_name": "Ayesha Khan",
            "headline": "CAD drafting and scan-to-CAD for factories and hotels",
            "summary": "I turn scans, sketches and markups into clean CAD drawing sets. " * 6,
            "basic_price_usd": "60",
            "published": "on",
        },
    )
    for n in range(3):
        client.post(
            reverse("portfolio:item_new"),
            {
                "action": "save",
                "title": f"Scan-to-CAD project {n}",
                "visibility": "public",
                "pathway": CAD,
                "problem": "Paper drawings had to become CAD.",
                "role": "Sole drafter.",
                "tools": "AutoCAD",
                "delivered": "DWG sheets on the client's standard.",
                "outcome": f"Delivered {40 + n} sheets in 9 days.",
                "skills": skills,
            },
        )
    for item in PortfolioItem.objects.filter(portfolio__owner=engineer):
        client.post(
            reverse("portfolio:item_edit", args=[item.pk]),
            {"action": "upload", "file": SimpleUploadedFile("plan.png", image_bytes("PNG"))},
        )
    home = client.get(reverse("portfolio:home")).context
    assert home["score"] == 100, [(r.code, r.points) for r in home["checks"] if not r.met]

    resume = client.get(reverse("portfolio:export_json")).json()
    assert exports.json_resume_errors(resume) == []
    assert len(resume["projects"]) == 3
    assert client.get(reverse("portfolio:export_pdf")).content.startswith(b"%PDF")

    item = PortfolioItem.objects.filter(portfolio__owner=engineer).first()
    draft = client.post(
        reverse("portfolio:proposal_new"), {**STRONG, "item": item.pk, "action": "save"}
    )
    assert draft.status_code == 302
    assert Proposal.objects.filter(owner=engineer).count() == 1
    assert contract_post(client).status_code == 302
    contract = Contract.objects.get(owner=engineer)
    assert client.get(reverse("portfolio:contract_pdf", args=[contract.pk])).status_code == 200

    won_before = PathwayPrior.objects.filter(slug=CAD).values_list("won", flat=True).first() or 0
    logged = client.post(
        reverse("portfolio:outcomes"),
        {
            "kind": "contract",
            "happened_on": "2026-11-01",
            "platform": "Upwork",
            "pathway": CAD,
            "count": "1",
            "amount_usd": "600",
        },
    )
    assert logged.status_code == 302
    assert PathwayPrior.objects.get(slug=CAD).won == won_before + 1
