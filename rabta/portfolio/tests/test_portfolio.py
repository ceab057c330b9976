import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core.models import Event
from rabta.portfolio import services
from rabta.portfolio.models import Portfolio, PortfolioItem, Visibility
from rabta.portfolio.templatetags.portfolio_text import markdown_html
from rabta.portfolio.tests.conftest import CAD, image_bytes, profiled_engineer

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="https://evil.example">',
]


def published_with_items(user):
    services.portfolio_update(
        user=user, headline="Structural ETABS modelling for mid-rise buildings", published=True
    )
    shown = services.item_save(
        user=user, title="Public clinic model", client="Acme Builders", visibility=Visibility.PUBLIC
    )
    redacted = services.item_save(
        user=user,
        title="Redacted refinery job",
        client="SecretCorp",
        visibility=Visibility.REDACTED,
    )
    private = services.item_save(
        user=user, title="Private NDA tower", client="HiddenCo", visibility=Visibility.PRIVATE
    )
    files = {
        "public": services.attachment_add(
            user=user, item_id=shown.pk, name="a.jpg", data=image_bytes()
        ),
        "redacted_cleared": services.attachment_add(
            user=user, item_id=redacted.pk, name="b.jpg", data=image_bytes(), cleared=True
        ),
        "redacted_raw": services.attachment_add(
            user=user, item_id=redacted.pk, name="c.jpg", data=image_bytes()
        ),
        "private": services.attachment_add(
            user=user, item_id=private.pk, name="d.jpg", data=image_bytes(), cleared=True
        ),
    }
    return Portfolio.objects.get(owner=user), files


def test_an_engineer_builds_a_case_study_and_the_checklist_credits_it(client, engineer):
    page = client.get(reverse("portfolio:home"))
    assert page.status_code == 200
    before = page.context["score"]
    response = client.post(
        reverse("portfolio:item_new"),
        {
            "action": "save",
            "title": "Scan-to-CAD of a textile mill",
            "client": "Mill owner",
            "year": "2025",
            "visibility": "public",
            "pathway": CAD,
            "problem": "Paper drawings of a 1970s mill had to become CAD.",
            "role": "Sole drafter.",
            "tools": "AutoCAD",
            "delivered": "120 DWG sheets.",
            "outcome": "Delivered in 9 days; the client reused them for a 2,000 m2 extension.",
            "skills": ["b34e2ba1-9080-48c9-9b42-ee9192a4d3f1"],
        },
    )
    item = PortfolioItem.objects.get(portfolio__owner=engineer)
    assert response["Location"] == reverse("portfolio:item_edit", args=[item.pk])
    assert item.skills == ["b34e2ba1-9080-48c9-9b42-ee9192a4d3f1"]
    after = client.get(reverse("portfolio:home")).context
    assert after["score"] > before
    rows = {row.code: row for row in after["checks"]}
    assert rows["case_studies"].points > 0
    assert rows["quantified"].points > 0


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 121, "at most 120 characters"),
        ("problem", "x" * 4001, "at most 4000 characters"),
        ("year", "2999", "cannot be in the future"),
        ("pathway", "no-such-pathway", "Select a valid choice"),
        ("skills", ["not-a-skill"], "Select a valid choice"),
        ("visibility", "everyone", "Select a valid choice"),
    ],
)
def test_malformed_case_studies_are_refused_with_a_clear_error_and_nothing_saved(
    client, engineer, field, value, error
):
    data = {"action": "save", "title": "Ok", "visibility": "private", field: value}
    response = client.post(reverse("portfolio:item_new"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_the_public_page_shows_public_and_redacted_items_and_nothing_private(client):
    owner = profiled_engineer()
    portfolio, files = published_with_items(owner)
    page = client.get(reverse("portfolio_public", args=[portfolio.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Public clinic model" in body
    assert "Acme Builders" in body
    assert "Redacted refinery job" in body
    assert "redacted" in body
    assert "SecretCorp" not in body
    assert "Private NDA tower" not in body
    assert "HiddenCo" not in body
    assert files["public"].token in body
    assert files["redacted_cleared"].token in body
    assert files["redacted_raw"].token not in body
    assert files["private"].token not in body
    assert owner.email not in body
    for key, status in (
        ("public", 200),
        ("redacted_cleared", 200),
        ("redacted_raw", 404),
        ("private", 404),
    ):
        assert (
            client.get(reverse("portfolio:file", args=[files[key].token])).status_code == status
        ), key


def test_a_page_that_is_off_is_not_found_and_its_files_are_closed(client):
    owner = profiled_engineer()
    portfolio, files = published_with_items(owner)
    services.portfolio_update(user=owner, published=False)
    assert client.get(reverse("portfolio_public", args=[portfolio.slug])).status_code == 404
    assert client.get(reverse("portfolio:file", args=[files["public"].token])).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_no_other_role_sees_private_items_or_files(client, role):
    owner = profiled_engineer()
    portfolio, files = published_with_items(owner)
    viewer = user_with_role(role)
    login_with_second_factor(client, viewer)
    body = client.get(reverse("portfolio_public", args=[portfolio.slug])).content.decode()
    assert "Private NDA tower" not in body
    private_item = PortfolioItem.objects.get(title="Private NDA tower")
    assert client.get(reverse("portfolio:item_edit", args=[private_item.pk])).status_code == 404
    assert client.get(reverse("portfolio:file", args=[files["private"].token])).status_code == 404
    assert (
        client.get(reverse("portfolio:file", args=[files["redacted_raw"].token])).status_code == 404
    )
    own = client.get(reverse("portfolio:export_json")).json()
    assert "Private NDA tower" not in str(own)
    assert "Public clinic model" not in str(own)


def test_the_public_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    owner = profiled_engineer()
    portfolio, _files = published_with_items(owner)
    for n in range(10):
        item = services.item_save(user=owner, title=f"Extra {n}", visibility=Visibility.PUBLIC)
        services.attachment_add(user=owner, item_id=item.pk, name="e.jpg", data=image_bytes())
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portfolio_public", args=[portfolio.slug])).status_code == 200


@pytest.mark.parametrize("payload", XSS)
def test_hostile_text_stays_inert_on_every_page(client, engineer, payload):
    services.portfolio_update(
        user=engineer, headline=payload, summary=payload, display_name=payload, published=True
    )
    item = services.item_save(
        user=engineer,
        title=payload,
        client=payload,
        problem=payload,
        role=payload,
        tools=payload,
        delivered=payload,
        outcome=payload,
        visibility=Visibility.PUBLIC,
    )
    slug = Portfolio.objects.get(owner=engineer).slug
    for url in (
        reverse("portfolio_public", args=[slug]),
        reverse("portfolio:home"),
        reverse("portfolio:item_edit", args=[item.pk]),
    ):
        body = client.get(url).content.decode()
        # escaped text may still read "onerror=" or "javascript:"; what must never appear is
        # the markup that would run it
        for marker in (
            "<script>alert",
            "<img src=x",
            "<svg/onload",
            "<iframe",
            '<a href="javascript:',
        ):
            assert marker not in body, (url, marker)


def test_markdown_keeps_formatting_and_drops_active_content():
    html = markdown_html(
        "**Cut** review time\n\n- by 40%\n\n[paper](https://example.org) [bad](javascript:alert(1))"
    )
    assert "<strong>Cut</strong>" in html
    assert "<li>by 40%</li>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert 'href="javascript:' not in html


def test_publishing_records_one_event_and_the_slug_does_not_reveal_the_account(engineer):
    services.portfolio_update(user=engineer, published=True)
    services.portfolio_update(user=engineer, headline="Changed after publishing")
    portfolio = Portfolio.objects.get(owner=engineer)
    assert str(engineer.pk) != portfolio.slug
    assert engineer.email.split("@")[0] not in portfolio.slug
    assert Event.objects.filter(kind="portfolio.published").count() == 1


def test_the_builder_pages_need_a_login(client):
    for name in (
        "portfolio:home",
        "portfolio:item_new",
        "portfolio:kit",
        "portfolio:outcomes",
        "portfolio:export_json",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_builder_home_needs_a_fixed_number_of_queries(client, engineer):
    for n in range(6):
        item = services.item_save(user=engineer, title=f"Item {n}", visibility=Visibility.PUBLIC)
        services.attachment_add(user=engineer, item_id=item.pk, name="e.jpg", data=image_bytes())
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portfolio:home"))
    services.item_save(user=engineer, title="One more", visibility=Visibility.PUBLIC)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("portfolio:home"))
    assert len(more) == len(few)
