import re

import pytest
from django.urls import reverse
from django.utils import translation

from rabta.portfolio import exports, services
from rabta.portfolio.models import Portfolio, Visibility
from rabta.portfolio.tests.test_portfolio import XSS, published_with_items

pytestmark = pytest.mark.django_db


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_json_resume_validates_against_the_published_schema_and_holds_only_shown_work(
    client, engineer
):
    portfolio, _files = published_with_items(engineer)
    response = client.get(reverse("portfolio:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="resume.json"'
    resume = response.json()
    assert exports.json_resume_errors(resume) == []
    names = [p["name"] for p in resume["projects"]]
    assert names == ["Public clinic model", "Redacted refinery job"]
    assert resume["projects"][0]["entity"] == "Acme Builders"
    assert "entity" not in resume["projects"][1]
    text = response.content.decode()
    for secret in ("Private NDA tower", "HiddenCo", "SecretCorp", engineer.email):
        assert secret not in text
    assert resume["basics"]["url"].endswith(f"/p/{portfolio.slug}/")
    assert resume["skills"]
    assert all(s["level"] in {"Aware", "Basic", "Working", "Expert"} for s in resume["skills"])
    assert resume["education"][0]["endDate"].isdigit()


def test_the_validator_catches_a_resume_that_breaks_the_schema():
    assert exports.json_resume_errors({"basics": {"name": 5}})
    assert exports.json_resume_errors({"projects": [{"startDate": "last spring"}]})
    assert exports.json_resume_errors({"unknown": 1})


def test_json_resume_is_in_english_whatever_the_page_language(engineer):
    with translation.override("ur"):
        resume = exports.json_resume(services.portfolio_ensure(user=engineer))
    assert resume["education"][0]["area"] == "Civil"
    assert exports.json_resume_errors(resume) == []


@pytest.mark.parametrize("payload", XSS)
def test_hostile_text_exports_as_text(engineer, payload):
    services.portfolio_update(
        user=engineer, headline=payload, summary=payload, display_name=payload
    )
    services.item_save(
        user=engineer,
        title=payload,
        problem=payload,
        outcome=payload,
        tools=payload,
        visibility=Visibility.PUBLIC,
    )
    portfolio = Portfolio.objects.get(owner=engineer)
    resume = exports.json_resume(portfolio)
    assert exports.json_resume_errors(resume) == []
    assert resume["basics"]["name"] == payload  # kept as data: JSON is not HTML
    pdf = exports.resume_pdf(portfolio)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1


def test_the_pdf_is_one_page_even_for_a_long_portfolio(client, engineer):
    services.portfolio_update(
        user=engineer, headline="Structural modelling", summary="Long overview. " * 80
    )
    for n in range(12):
        services.item_save(
            user=engineer,
            title=f"Project {n}",
            problem="Problem text. " * 40,
            delivered="Delivered. " * 30,
            outcome="Saved 10 days. " * 20,
            visibility=Visibility.PUBLIC,
        )
    services.item_save(user=engineer, title="Private NDA tower", visibility=Visibility.PRIVATE)
    response = client.get(reverse("portfolio:export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 1
    assert b"Private NDA tower" not in response.content


def test_platform_text_is_built_from_the_chosen_pathway_and_public_work(client, engineer):
    published_with_items(engineer)
    services.item_save(
        user=engineer,
        title="Mill survey",
        outcome="Delivered 120 sheets in 9 days.",
        visibility=Visibility.PUBLIC,
    )
    page = client.get(reverse("portfolio:platform_text"))
    text = page.context["text"]
    assert page.context["chosen"].slug == "cad-drafting-3d-modelling"
    assert "CAD drafting and 3D modelling" in text.title
    assert "Mill survey: Delivered 120 sheets in 9 days." in text.overview
    assert "Private NDA tower" not in text.overview
    assert [p.price_usd for p in text.packages] == [60, 150, 300]
    other = client.get(reverse("portfolio:platform_text"), {"pathway": "bim-modelling"})
    assert other.context["chosen"].slug == "bim-modelling"
    unknown = client.get(reverse("portfolio:platform_text"), {"pathway": "../../etc"})
    assert unknown.context["chosen"].slug == "cad-drafting-3d-modelling"


def test_the_certificate_of_completion_is_listed_with_its_verification_link(engineer):
    from rabta.programme.models import Application, ApplicationState, Certificate
    from rabta.programme.tests.factories import CohortFactory

    cohort = CohortFactory()
    application = Application.objects.create(
        user=engineer,
        cohort=cohort,
        state=ApplicationState.CONFIRMED,
        province="PB",
        gender="female",
    )
    Certificate.objects.create(application=application, code="ABCDEFGH23")
    resume = exports.json_resume(services.portfolio_ensure(user=engineer))
    assert exports.json_resume_errors(resume) == []
    assert resume["certificates"][0]["url"].endswith("ABCDEFGH23/")
