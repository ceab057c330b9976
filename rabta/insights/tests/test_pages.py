"""The dashboards for analysts and staff: every page and export works, exports are recorded,
and nobody else gets in."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core.models import AuditLog, Event, Job
from rabta.insights import dashboards, services
from rabta.insights.tests.factories import random_events

pytestmark = pytest.mark.django_db
PAGES = list(dashboards.PAGES)


@pytest.fixture
def analyst(client):
    user = user_with_role(Role.COUNCIL_ANALYST)
    login_with_second_factor(client, user)
    return user


@pytest.fixture
def filled():
    random_events(1200, seed=11, people=400)
    services.rollups_fill()


@pytest.mark.parametrize("page", PAGES)
def test_every_dashboard_page_renders_charts_and_tables_for_an_analyst(
    client, analyst, filled, page
):
    response = client.get(reverse("insights:page", args=[page]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body or "Nothing to show yet" in body
    assert "<table" in body or "Nothing to show yet" in body


def test_the_funnel_breaks_down_by_a_dimension_and_ignores_unknown_filters(client, analyst, filled):
    response = client.get(reverse("insights:page", args=["programme"]), {"dim": "gender"})
    body = response.content.decode()
    assert 'id="tile-by-dimension"' in body
    assert 'id="tile-stages-by-dimension"' in body
    hostile = client.get(
        reverse("insights:page", args=["programme"]),
        {"dim": "email", "cohort": "<script>alert(1)</script>", "stage": "../../etc"},
    )
    assert hostile.status_code == 200
    assert "<script>alert(1)" not in hostile.content.decode()
    assert 'id="tile-by-dimension"' not in hostile.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "png"])
def test_an_export_is_the_tile_as_shown_and_is_recorded(client, analyst, filled, fmt):
    url = reverse("insights:export", args=["programme", "funnel", fmt])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "png":
        assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[1] == ["Stage", "People"]
        assert [r[0] for r in rows[2:13]][0] == "Registered"
        page = client.get(reverse("insights:page", args=["programme"])).content.decode()
        for stage, count in rows[2:13]:
            assert (
                f'<th scope="row">{stage}</th><td class="num">{count.replace("<", "&lt;")}</td>'
                in page
            )
    log = AuditLog.objects.get(action="insights.export")
    assert log.actor == analyst
    assert log.details["tile"] == "funnel"
    assert log.details["format"] == fmt


def test_an_unknown_tile_or_format_is_404_and_not_recorded(client, analyst, filled):
    for args in (
        ["programme", "nope", "csv"],
        ["programme", "funnel", "xlsx"],
        ["nope", "funnel", "csv"],
    ):
        assert client.get(reverse("insights:export", args=args)).status_code == 404
    assert not AuditLog.objects.filter(action="insights.export").exists()


def test_a_label_that_looks_like_a_formula_is_exported_as_text(client, analyst):
    Event.objects.bulk_create(
        [
            Event(kind="braingain.ask_posted", sector="=HYPERLINK(1)", province="x")
            for _ in range(12)
        ]
    )
    services.rollups_fill()
    response = client.get(reverse("insights:export", args=["brain-gain", "asks-sector", "csv"]))
    assert "'=HYPERLINK(1)" in response.content.decode()


@pytest.mark.parametrize(
    "role", ["anonymous", Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP]
)
def test_people_without_the_dashboard_permission_get_nothing(client, filled, role):
    if role != "anonymous":
        login_with_second_factor(client, user_with_role(role))
    for url in (
        reverse("insights:page", args=["programme"]),
        reverse("insights:export", args=["programme", "funnel", "csv"]),
        reverse("insights:reports"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"<svg" not in response.content
    assert not AuditLog.objects.filter(action="insights.export").exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("programme:staff_cohorts", []),
        ("accounts:verification_queue", []),
        ("braingain:staff_report", []),
        ("profiling:postings", []),
    ],
)
def test_an_analyst_reaches_no_page_that_lists_people(client, analyst, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code in (403, 404)


def test_an_analyst_cannot_open_the_admin(client, analyst):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_live_inclusion_page_refreshes_itself_while_applications_are_open(client, analyst):
    from rabta.programme.tests.factories import CohortFactory

    cohort = CohortFactory()
    Event.objects.bulk_create(
        [
            Event(kind="programme.applied", cohort=cohort.slug, gender=g, career="early")
            for g in ["woman"] * 12 + ["man"] * 20
        ]
    )
    response = client.get(reverse("insights:page", args=["inclusion"]))
    body = response.content.decode()
    assert f"{cohort.name}" in body
    assert 'hx-trigger="every 15s"' in body
    partial = client.get(
        reverse("insights:page", args=["inclusion"]), {"tiles": "1"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in partial.content
    assert b'stroke="#b91c1c"' in response.content  # the women's and early-career targets
    assert b"tile-applied-gender" in partial.content


def test_the_monthly_report_is_generated_kept_and_downloadable_as_pdf(
    client, analyst, filled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:reports"))
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:reports")
    job = Job.objects.get(name="rabta.insights.tasks.report_generate_task")
    assert job.state == "succeeded"
    assert job.started_by == analyst
    assert "generated" in client.get(reverse("insights:reports")).content.decode()
    page = client.get(job.result_url)
    assert page.status_code == 200
    assert b"Opportunity index" in page.content
    month = job.result_url.rstrip("/").rsplit("/", 1)[-1]
    pdf = client.get(reverse("insights:report_pdf", args=[month]))
    assert pdf.content[:5] == b"%PDF-"
    assert AuditLog.objects.filter(action="insights.export", details__format="pdf").count() == 1
    assert client.get("/insights/reports/1999-13/").status_code == 404
