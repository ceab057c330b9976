import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, login_with_second_factor, user_with_role
from rabta.core.models import AuditLog, Job
from rabta.programme import services
from rabta.programme.models import AllocationRun, Application, ApplicationState, Cohort
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db

FORM = {
    "motivation": ANSWERS["motivation"],
    "hours_per_week": "10",
    "employment": "employed",
    "consent": "on",
}


def test_apply_through_the_page_then_see_the_offer_and_confirm(client):
    cohort = CohortFactory(seats=1)
    user = verified_engineer()
    client.force_login(user)
    page = client.get(reverse("programme:application", args=[cohort.slug]))
    key = page.context["form"].initial["idempotency_key"]
    response = client.post(
        reverse("programme:application", args=[cohort.slug]),
        {**FORM, "action": "submit", "idempotency_key": key},
    )
    assert response.status_code == 302
    status = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "Seat offered: confirm it" in status
    client.post(reverse("programme:application", args=[cohort.slug]), {"action": "confirm"})
    assert Application.objects.get().state == ApplicationState.CONFIRMED


def test_a_double_click_submits_once(client):
    cohort = CohortFactory(seats=3)
    client.force_login(verified_engineer())
    url = reverse("programme:application", args=[cohort.slug])
    for _ in range(3):
        client.post(url, {**FORM, "action": "submit", "idempotency_key": "dbl"})
    assert Application.objects.count() == 1
    assert Cohort.objects.get().seats_taken == 1


def test_the_waitlisted_applicant_sees_their_position(client):
    cohort = CohortFactory(seats=1)
    services.application_submit(user=verified_engineer(), cohort_id=cohort.pk, data=ANSWERS)
    user = verified_engineer()
    services.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    client.force_login(user)
    body = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "Your place on the waitlist: 1" in body


def test_htmx_draft_autosave_keeps_answers_without_submitting(client):
    cohort = CohortFactory()
    client.force_login(verified_engineer())
    response = client.post(
        reverse("programme:application", args=[cohort.slug]),
        {"motivation": "half-typed", "action": "draft"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    application = Application.objects.get()
    assert (application.state, application.motivation) == ("draft", "half-typed")
    page = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "half-typed" in page


def test_ineligible_applicants_see_why_and_nothing_is_submitted(client):
    cohort = CohortFactory()
    client.force_login(UserFactory(roles=[Role.ENGINEER]))
    page = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "Complete your engineer profile" in page
    client.post(reverse("programme:application", args=[cohort.slug]), {**FORM, "action": "submit"})
    assert not Application.objects.exclude(state="draft").exists()


def test_hostile_motivation_is_escaped_for_staff(client):
    cohort = CohortFactory()
    hostile = verified_engineer()
    hostile.display_name = "<script>alert(1)</script>"
    hostile.save()
    services.application_submit(user=hostile, cohort_id=cohort.pk, data=ANSWERS)
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    body = client.get(reverse("programme:staff_applicants", args=[cohort.slug])).content.decode()
    assert "<script>alert(1)</script>" not in body


def test_api_submission_is_idempotent_by_key(client):
    cohort = CohortFactory()
    client.force_login(verified_engineer())
    url = reverse("api:application_submit", args=[cohort.pk])
    first = client.post(
        url, json.dumps(ANSWERS), content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    again = client.post(
        url, json.dumps(ANSWERS), content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Application.objects.count() == 1


def test_api_refuses_ineligible_with_the_reasons(client):
    cohort = CohortFactory(applications_close_at=timezone.now() - timedelta(hours=1))
    client.force_login(verified_engineer())
    response = client.post(
        reverse("api:application_submit", args=[cohort.pk]),
        json.dumps(ANSWERS),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_eligible"
    assert "closed" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "who",
    ["anonymous", Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST],
)
def test_applications_are_private_to_their_owner(client, who):
    cohort = CohortFactory()
    application, _ = services.application_submit(
        user=verified_engineer(),
        cohort_id=cohort.pk,
        data={**ANSWERS, "motivation": "My secret motivation"},
    )
    if who != "anonymous":
        login_with_second_factor(client, user_with_role(who))
    get = client.get(reverse("api:application_get", args=[application.pk]))
    confirm = client.post(reverse("api:offer_confirm", args=[application.pk]))
    withdraw = client.post(reverse("api:application_withdraw", args=[application.pk]))
    assert get.status_code in (401, 404)
    assert confirm.status_code in (401, 404)
    assert withdraw.status_code in (401, 404)
    application.refresh_from_db()
    assert application.state == ApplicationState.OFFERED


@pytest.mark.parametrize(
    "who",
    ["anonymous", Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST],
)
def test_staff_screens_are_closed_to_other_roles(client, who):
    cohort = CohortFactory(policy="fair", applications_close_at=timezone.now() - timedelta(hours=1))
    if who != "anonymous":
        login_with_second_factor(client, user_with_role(who))
    for name in ("staff_cohort", "staff_applicants", "staff_allocation"):
        response = client.get(reverse(f"programme:{name}", args=[cohort.slug]))
        assert response.status_code in (302, 403)
    client.post(
        reverse("programme:staff_allocation", args=[cohort.slug]), {"seed": "1", "commit": "1"}
    )
    client.post(reverse("programme:staff_cohorts"), {"name": "Sneaky"})
    expire = client.post(reverse("programme:staff_expire_offers"))
    assert expire.status_code in (302, 403)
    if who != "anonymous":
        assert expire.status_code == 403
    assert not AllocationRun.objects.exists()
    assert Cohort.objects.count() == 1


@pytest.fixture
def staff(client):
    return login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))


COHORT_FORM = {
    "name": "April 2026",
    "slug": "april-2026",
    "starts_on": "2026-04-13",
    "ends_on": "2026-04-17",
    "time_zone": "Asia/Karachi",
    "seats": "5000",
    "applications_open_at": "2026-03-01T09:00",
    "applications_close_at": "2026-03-20T09:00",
    "policy": "fair",
    "offer_days": "3",
    "claim_window_hours": "48",
    "target_women_share": "0.3",
    "target_early_career_share": "0.4",
    "early_career_max_years": "3",
    "province_floors": "on",
    "room_cap": "1000",
    "min_attendance_share": "0.75",
    "days_required": "4",
    "accept_pending_pec": "on",
}


def test_staff_create_a_cohort_with_clear_errors(client, staff):
    bad = client.post(
        reverse("programme:staff_cohorts"),
        {
            **COHORT_FORM,
            "ends_on": "2026-04-13",
            "starts_on": "2026-04-17",
            "applications_close_at": "2026-02-01T09:00",
        },
    )
    body = bad.content.decode()
    assert "must close after it opens" in body
    assert not Cohort.objects.exists()
    good = client.post(reverse("programme:staff_cohorts"), COHORT_FORM)
    assert good.status_code == 302
    assert Cohort.objects.get().seats == 5000


def test_dry_run_changes_nothing_then_commit_places_everyone_once(
    client, staff, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(policy="fair", seats=3)
    users = [verified_engineer() for _ in range(6)]
    for user in users:
        services.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("programme:staff_allocation", args=[cohort.slug])
    # the page answers at once; the worker runs the allocation and the page follows it
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"seed": "42", "commit": "0"})
    assert started.status_code == 302
    assert started["Location"] == url
    job = Job.objects.get(name="rabta.programme.tasks.allocation_run_task")
    assert job.state == "succeeded"
    assert job.started_by is not None
    assert "3 of 6 selected (seed 42), dry run" in client.get(url).content.decode()
    dry = client.get(job.result_url)
    assert "3 of 6 applicants selected" in dry.content.decode()
    assert 'value="42"' in dry.content.decode()  # the seed to commit
    assert set(Application.objects.values_list("state", flat=True)) == {"submitted"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"seed": "42", "commit": "1"})
    states = list(Application.objects.values_list("state", flat=True))
    assert sorted(states) == ["offered"] * 3 + ["waitlisted"] * 3
    assert all(Application.objects.values_list("placement_reason", flat=True))
    assert Cohort.objects.get().seats_taken == 3
    again = client.post(url, {"seed": "43", "commit": "1"})
    assert again.status_code == 200
    assert AllocationRun.objects.filter(committed=True).count() == 1


def test_csv_export_is_audited_and_defuses_formulas(client, staff):
    cohort = CohortFactory()
    user = verified_engineer()
    user.display_name = '=HYPERLINK("http://evil")'
    user.save()
    services.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    response = client.get(
        reverse("programme:staff_applicants", args=[cohort.slug]), {"format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["application_id", "name", "email", "state"]
    assert rows[1][1].startswith("'=")
    assert AuditLog.objects.filter(action="personal_data.exported").count() == 1


def test_overview_shows_composition(client, staff):
    cohort = CohortFactory(seats=2)
    for _ in range(3):
        services.application_submit(user=verified_engineer(), cohort_id=cohort.pk, data=ANSWERS)
    body = client.get(reverse("programme:staff_cohort", args=[cohort.slug])).content.decode()
    assert "2 / 2" in body
    assert "Waitlist" in body


def test_applicant_list_query_count_is_flat(client, staff, django_assert_max_num_queries):
    cohort = CohortFactory(seats=100)
    for _ in range(3):
        services.application_submit(user=verified_engineer(), cohort_id=cohort.pk, data=ANSWERS)
    url = reverse("programme:staff_applicants", args=[cohort.slug])
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(20):
        services.application_submit(user=verified_engineer(), cohort_id=cohort.pk, data=ANSWERS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_unknown_cohorts_and_applications_answer_not_found(client):
    client.force_login(verified_engineer())
    page = client.get(reverse("programme:application", args=["no-such-cohort"]))
    assert page.status_code == 404
    assert "Not found" in page.content.decode()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    assert client.get(reverse("programme:staff_sessions", args=["no-such"])).status_code == 404
    api = client.get(reverse("api:application_get", args=[99999]))
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
