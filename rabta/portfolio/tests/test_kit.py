import datetime as dt
import re

import pytest
from django.urls import reverse

from rabta.portfolio import kit, services
from rabta.portfolio.models import Contract, Proposal
from rabta.portfolio.tests.conftest import profiled_engineer
from rabta.portfolio.tests.test_exports import pdf_pages
from rabta.portfolio.tests.test_portfolio import XSS

pytestmark = pytest.mark.django_db

JOB = (
    "We need an AutoCAD drafter to convert 30 scanned PDF floor plans of a hotel into clean DWG "
    "drawings on our layer standard. Budget $600. Please share similar scan-to-CAD work."
)
STRONG = {
    "job_post": JOB,
    "client_budget": "600",
    "understanding": "You need 30 scanned hotel floor plans converted into clean AutoCAD DWG "
    "drawings that follow your layer standard.",
    "approach": "Check every scan and list unreadable areas before drawing.\nDraw on your layer "
    "standard and title block.\nCompare each DWG with its scan and send a checklist.",
    "milestone_title": "Three floor plans in DWG on your standard",
    "milestone_amount": "60",
    "milestone_days": "3",
    "questions": "Can you share your layer standard and title block?\nShould dimensions be added "
    "where the scans show none?",
}


def test_the_kit_shows_where_the_chosen_pathway_sells_and_dated_payment_facts(client, engineer):
    page = client.get(reverse("portfolio:kit"))
    body = page.content.decode()
    assert page.context["chosen"].slug == "cad-drafting-3d-modelling"
    assert "Engineering &amp; Architecture &gt; 3D Modeling &amp; CAD" in body
    assert [g.name for g in page.context["guides"]] == ["Upwork", "Freelancer.com", "Fiverr"]
    assert "PayPal" in body
    assert "21 Nov 2026" in body
    other = client.get(reverse("portfolio:kit"), {"pathway": "structural-analysis-design-support"})
    assert other.context["chosen"].slug == "structural-analysis-design-support"


def test_payment_facts_go_stale_after_six_months():
    fact = kit.PAYMENT_FACTS[0]
    assert not fact.stale(fact.reviewed_on + dt.timedelta(days=kit.STALE_AFTER_DAYS))
    assert fact.stale(fact.reviewed_on + dt.timedelta(days=kit.STALE_AFTER_DAYS + 1))
    assert all(f.status in {"works", "partly", "no"} and f.source for f in kit.PAYMENT_FACTS)


def test_a_strong_proposal_passes_and_is_saved_as_a_draft(client, engineer):
    item = services.item_save(
        user=engineer, title="Scan-to-CAD of a textile mill", visibility="public"
    )
    checked = client.post(
        reverse("portfolio:proposal_new"), {**STRONG, "item": item.pk, "action": "check"}
    )
    assert checked.context["weak"] is False
    assert all(row.ok for row in checked.context["rows"]), [
        r.title for r in checked.context["rows"] if not r.ok and r.title
    ]
    assert not Proposal.objects.exists()  # checking stores nothing
    saved = client.post(
        reverse("portfolio:proposal_new"), {**STRONG, "item": item.pk, "action": "save"}
    )
    proposal = Proposal.objects.get(owner=engineer)
    assert saved["Location"] == reverse("portfolio:proposal_edit", args=[proposal.pk])
    reopened = client.get(saved["Location"])
    assert (
        "First milestone: Three floor plans in DWG on your standard: 60 USD"
        in reopened.context["text"]
    )


def test_a_weak_proposal_is_flagged_with_what_to_fix(client, engineer):
    weak = {
        **STRONG,
        "understanding": "Dear Sir, I can do this job. WhatsApp me +92 300 1234567",
        "milestone_amount": "",
        "questions": "",
    }
    response = client.post(
        reverse("portfolio:proposal_new"), {**weak, "action": "check"}, HTTP_HX_REQUEST="true"
    )
    assert response.context["weak"] is True
    failed = {row.title for row in response.context["rows"] if not row.ok}
    assert len(failed) >= 3
    assert "<html" not in response.content.decode()  # htmx gets the partial only


def test_another_persons_proposal_and_contract_are_not_found_and_unchanged(client, engineer):
    other = profiled_engineer()
    theirs = services.proposal_save(user=other, job_post=JOB, understanding="x", approach="y")
    contract = services.contract_save(
        user=other,
        kind="nda",
        engineer_name="A",
        engineer_city="Lahore",
        client_name="B",
        client_country="UK",
        scope="s",
        start_on=dt.date(2026, 11, 1),
    )
    assert client.get(reverse("portfolio:proposal_edit", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("portfolio:proposal_edit", args=[theirs.pk]), {**STRONG, "action": "save"}
        ).status_code
        == 404
    )
    assert client.get(reverse("portfolio:contract_edit", args=[contract.pk])).status_code == 404
    assert client.get(reverse("portfolio:contract_pdf", args=[contract.pk])).status_code == 404
    assert (
        client.post(
            reverse("portfolio:contract_edit", args=[contract.pk]), {"action": "delete"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.understanding == "x"
    assert Contract.objects.filter(pk=contract.pk).exists()
    mine = services.item_save(user=engineer, title="Mine")
    assert mine.pk
    their_item = services.item_save(user=other, title="Theirs")
    response = client.post(
        reverse("portfolio:proposal_new"), {**STRONG, "item": their_item.pk, "action": "save"}
    )
    assert response.status_code == 200
    assert not Proposal.objects.filter(owner=engineer).exists()


def test_the_scam_checker_flags_a_classic_scam_and_stores_nothing(client, engineer):
    message = (
        "Hi, I am HR manager. Contact me on Telegram @hiringnow. Pay a $25 registration "
        "fee to start, training provided."
    )
    response = client.post(reverse("portfolio:scam_check"), {"message": message})
    assert response.context["level"] == "likely_scam"
    codes = response.content.decode()
    assert "Telegram" in codes
    assert Proposal.objects.count() == 0
    assert Contract.objects.count() == 0


def test_the_scam_checker_refuses_an_oversized_message(client, engineer):
    response = client.post(reverse("portfolio:scam_check"), {"message": "x" * 5001})
    assert response.context["verdict"] is None
    assert "at most 5000 characters" in response.content.decode()


def contract_post(client, **changes):
    data = {
        "action": "save",
        "kind": "fixed",
        "engineer_name": "Ayesha Khan",
        "engineer_city": "Multan",
        "client_name": "Northwind Ltd",
        "client_country": "United Kingdom",
        "scope": "Convert 30 hotel floor plans to DWG.",
        "start_on": "2026-12-01",
        "platform": "Upwork",
        "governing_law": "the laws of England and Wales",
        "milestones_text": "Three plans | 60 | 2026-12-04\nRemaining 27 plans | 540 | 2026-12-20",
        **changes,
    }
    return client.post(reverse("portfolio:contract_new"), data)


def test_a_fixed_price_contract_is_filled_in_and_exported_to_pdf(client, engineer):
    response = contract_post(client)
    contract = Contract.objects.get(owner=engineer)
    assert response["Location"] == reverse("portfolio:contract_edit", args=[contract.pk])
    assert contract.milestones == [
        {"title": "Three plans", "amount": "60.00", "due": "2026-12-04"},
        {"title": "Remaining 27 plans", "amount": "540.00", "due": "2026-12-20"},
    ]
    page = client.get(response["Location"]).content.decode()
    assert "The total price is USD 600" in page
    assert "Upwork" in page
    pdf = client.get(reverse("portfolio:contract_pdf", args=[contract.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"milestones_text": ""}, "Add at least one milestone."),
        ({"milestones_text": "Plans | lots"}, "Line 1: the amount is not a number."),
        ({"milestones_text": "Plans | -5"}, "Line 1: the amount must be between"),
        ({"milestones_text": "Plans | NaN"}, "Line 1: the amount must be between"),
        ({"milestones_text": "ok | 5\njust a title"}, "Line 2: write title | amount | due date."),
        ({"kind": "hourly", "hourly_rate": ""}, "Give the hourly rate."),
        ({"kind": "barter"}, "Select a valid choice"),
        ({"client_name": ""}, "This field is required."),
        ({"scope": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_malformed_contracts_are_refused_and_nothing_is_saved(client, engineer, changes, error):
    response = contract_post(client, **changes)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Contract.objects.exists()


@pytest.mark.parametrize("kind", ["fixed", "hourly", "nda"])
@pytest.mark.parametrize("payload", XSS[:3])
def test_hostile_contract_text_is_inert_on_the_page_and_in_the_pdf(client, engineer, kind, payload):
    contract_post(
        client,
        kind=kind,
        hourly_rate="25",
        client_name=payload,
        scope=payload,
        engineer_city=payload,
    )
    contract = Contract.objects.get(owner=engineer)
    page = client.get(reverse("portfolio:contract_edit", args=[contract.pk])).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    pdf = client.get(reverse("portfolio:contract_pdf", args=[contract.pk])).content
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) >= 1
    assert re.search(rb"/Type\s*/Page", pdf)
