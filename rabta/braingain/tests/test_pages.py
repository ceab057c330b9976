"""The pages: every object page against every other role, forms with bad and hostile input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.braingain import services
from rabta.braingain.models import (
    Ask,
    MatchingRound,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    RequestStatus,
)
from rabta.braingain.tests.conftest import (
    MILESTONES,
    contributor,
    engineer,
    institution_rep,
    post_ask,
    project,
    staff,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _world():
    seeker = engineer()
    mentor = contributor()
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get()
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    session = services.session_schedule(
        user=mentor,
        mentorship_id=mentorship.pk,
        starts_at=timezone.now() + dt.timedelta(days=2),
        duration_minutes=60,
    )
    rep, institution = institution_rep()
    consultant = contributor()
    job = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant, ask_id=job.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )
    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)
    return {
        "seeker": seeker,
        "mentor": mentor,
        "ask": ask,
        "request": request,
        "mentorship": mentorship,
        "session": session,
        "rep": rep,
        "consultant": consultant,
        "project": job,
        "engagement": engagement,
    }


def _outsiders():
    return {
        "engineer": engineer(),
        "contributor": contributor(),
        "institution_rep": institution_rep()[0],
        "analyst": user_with_role(Role.COUNCIL_ANALYST),
    }


def _urls(w):
    return [
        reverse("braingain:ask", args=[w["ask"].pk]),
        reverse("braingain:request", args=[w["request"].pk]),
        reverse("braingain:mentorship", args=[w["mentorship"].pk]),
        reverse("braingain:session_ics", args=[w["session"].pk]),
        reverse("braingain:engagement", args=[w["engagement"].pk]),
    ]


def test_object_pages_are_404_to_everyone_else(client):
    w = _world()
    for role, person in _outsiders().items():
        login_with_second_factor(client, person)
        for url in _urls(w):
            assert client.get(url).status_code == 404, (role, url)
        client.logout()
    for url in _urls(w):
        assert client.get(url).status_code == 302  # anonymous: to the login page


def test_parties_see_their_pages(client):
    w = _world()
    for person, urls in (
        (w["seeker"], _urls(w)[:4]),
        (w["mentor"], _urls(w)[1:4]),
        (w["rep"], [reverse("braingain:engagement", args=[w["engagement"].pk])]),
        (w["consultant"], [reverse("braingain:engagement", args=[w["engagement"].pk])]),
    ):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 200, url
    client.force_login(w["mentor"])
    ics = client.get(reverse("braingain:session_ics", args=[w["session"].pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.content


def test_staff_read_pages_but_cannot_act_as_a_party(client):
    w = _world()
    login_with_second_factor(client, staff())
    assert client.get(reverse("braingain:mentorship", args=[w["mentorship"].pk])).status_code == 200
    response = client.post(
        reverse("braingain:mentorship", args=[w["mentorship"].pk]),
        {"action": "complete"},
        follow=True,
    )
    assert response.status_code == 200
    w["mentorship"].refresh_from_db()
    assert w["mentorship"].status == MentorshipStatus.ACTIVE


def test_outsiders_posting_actions_change_nothing(client):
    w = _world()
    other = contributor()
    client.force_login(other)
    posts = [
        (reverse("braingain:mentorship", args=[w["mentorship"].pk]), {"action": "complete"}),
        (reverse("braingain:engagement", args=[w["engagement"].pk]), {"action": "sign"}),
        (reverse("braingain:request", args=[w["request"].pk]), {"decision": "decline"}),
        (reverse("braingain:ask", args=[w["ask"].pk]), {"action": "close"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    w["engagement"].refresh_from_db()
    assert w["engagement"].client_signed_at is None
    assert Ask.objects.get(pk=w["ask"].pk).status == "matched"
    assert Mentorship.objects.get().status == MentorshipStatus.ACTIVE


def test_staff_pages_need_the_permission(client):
    client.force_login(contributor())
    for name in ("braingain:staff_rounds", "braingain:staff_report"):
        assert client.get(reverse(name)).status_code == 403
    login_with_second_factor(client, staff())
    for name in ("braingain:staff_rounds", "braingain:staff_report"):
        assert client.get(reverse(name)).status_code == 200


def _ask_form(**overrides):
    data = {
        "kind": "mentoring",
        "title": "Help with a thesis on grid storage",
        "goal": "Guide the literature review",
        "sector": "power",
        "skill_terms": "solar energy, project management",
        "duration_weeks": "10",
        "hours_per_month": "4",
        "language": "en",
        "mode": "online",
        "city": "",
        "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "budget_usd": "",
        "institution_id": "",
    }
    data.update(overrides)
    return data


def test_posting_an_ask_and_hostile_text_is_inert(client):
    seeker = engineer()
    contributor()
    client.force_login(seeker)
    response = client.post(reverse("braingain:ask_new"), _ask_form(title=XSS, goal=XSS))
    ask = Ask.objects.get()
    assert response.status_code == 302
    assert len(ask.skills) == 2
    page = client.get(reverse("braingain:ask", args=[ask.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "Suggested contributors" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"skill_terms": "zzqxv unknownskill"}, "skill_terms"),
        ({"skill_terms": ",".join(["solar energy"] * 11)}, "skill_terms"),
        ({"title": "x" * 161}, "title"),
        ({"goal": "x" * 4001}, "goal"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"hours_per_month": "500"}, "hours_per_month"),
        ({"kind": "consultancy", "budget_usd": ""}, "budget_usd"),
        ({"mode": "in_person", "city": ""}, "city"),
        ({"kind": "hacking"}, "kind"),
    ],
)
def test_bad_asks_are_refused_with_the_field_named_and_nothing_saved(client, overrides, field):
    client.force_login(engineer())
    response = client.post(reverse("braingain:ask_new"), _ask_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Ask.objects.exists()
    # what was typed is still in the form
    assert response.context["form"].data["title"] == _ask_form(**overrides)["title"]


def test_posting_for_someone_elses_institution_is_refused(client):
    rep, institution = institution_rep()
    intruder, _mine = institution_rep()
    client.force_login(intruder)
    response = client.post(
        reverse("braingain:ask_new"), _ask_form(institution_id=str(institution.pk))
    )
    assert response.status_code == 200
    assert not Ask.objects.exists()


def test_proposal_form_reports_bad_milestone_lines_by_number(client):
    rep, institution = institution_rep()
    job = project(rep, institution)
    client.force_login(contributor())
    response = client.post(
        reverse("braingain:ask", args=[job.pk]),
        {
            "action": "propose",
            "price_usd": "3000",
            "plan": "Plan",
            "milestones_text": "Survey | 1000 | 10\nReport | lots | 5\nFinal | 2000 | forever",
        },
    )
    errors = response.context["proposal_form"].errors["milestones_text"]
    assert "Line 2: the amount is not a number." in errors
    assert not job.proposals.exists()


def test_request_and_accept_through_the_pages(client):
    seeker = engineer()
    mentor = contributor()
    ask = post_ask(seeker)
    client.force_login(seeker)
    client.post(
        reverse("braingain:ask", args=[ask.pk]),
        {"action": "request", "contributor": str(mentor.pk), "message": XSS},
    )
    request = MatchRequest.objects.get()
    client.force_login(mentor)
    page = client.get(reverse("braingain:request", args=[request.pk])).content.decode()
    assert "Why you were asked" in page
    assert "<script>alert" not in page
    response = client.post(reverse("braingain:request", args=[request.pk]), {"decision": "accept"})
    mentorship = Mentorship.objects.get()
    assert response.url == reverse("braingain:mentorship", args=[mentorship.pk])
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_session_form_refuses_unknown_time_zones(client):
    w = _world()
    client.force_login(w["mentor"])
    response = client.post(
        reverse("braingain:mentorship", args=[w["mentorship"].pk]),
        {
            "action": "schedule",
            "day": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "at": "18:00",
            "zone": "Mars/Olympus",
            "duration_minutes": "60",
        },
    )
    assert "zone" in response.context["session_form"].errors
    assert w["mentorship"].sessions.count() == 1


def test_certificate_verification_page(client):
    w = _world()
    mentorship = w["mentorship"]
    mentorship.sessions.update(starts_at=timezone.now() - dt.timedelta(hours=2))
    services.session_hold(user=w["mentor"], session_id=w["session"].pk, notes="ok")
    services.mentorship_complete(user=w["mentor"], mentorship_id=mentorship.pk)
    mentorship.refresh_from_db()
    page = client.get(reverse("braingain:certificate_verify", args=[mentorship.certificate_code]))
    assert page.status_code == 200
    assert "genuine" in page.content.decode()
    assert (
        client.get(reverse("braingain:certificate_verify", args=["NOPE234567"])).status_code == 404
    )
    client.force_login(w["mentor"])
    pdf = client.get(reverse("braingain:certificate", args=[mentorship.pk]))
    assert pdf.content.startswith(b"%PDF")
    client.force_login(w["seeker"])
    assert client.get(reverse("braingain:certificate", args=[mentorship.pk])).status_code == 404


def test_hub_query_count_is_fixed(client):
    seeker = engineer()
    for n in range(3):
        post_ask(seeker, title=f"Ask {n}")
    client.force_login(seeker)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("braingain:hub"))
    for n in range(10):
        post_ask(seeker, title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("braingain:hub"))
    assert len(many) == len(few)


def test_round_pages_solve_and_publish(client):
    seekers = [engineer() for _ in range(3)]
    for n, person in enumerate(seekers):
        post_ask(person, title=f"Mentee {n}")
    people = [contributor(capacity=1), contributor(capacity=2, time_zone="Asia/Dubai")]
    login_with_second_factor(client, staff())
    client.post(
        reverse("braingain:staff_rounds"),
        {"name": "Spring mentoring", "kind": "mentoring", "fairness": "50"},
    )
    matching_round = MatchingRound.objects.get()
    url = reverse("braingain:staff_round", args=[matching_round.pk])
    first_ask = Ask.objects.order_by("pk").first()
    client.post(
        url,
        {"action": "constrain", "ask": first_ask.pk, "contributor": people[1].pk, "kind": "pin"},
    )
    client.post(url, {"action": "solve"})
    matching_round.refresh_from_db()
    assert matching_round.summary["matched"] == 3
    assert matching_round.assignments.get(ask=first_ask).contributor == people[1]
    page = client.get(url).content.decode()
    assert "3 of 3 asks matched" in page
    client.post(url, {"action": "publish"})
    assert MatchRequest.objects.filter(status=RequestStatus.PENDING, source="round").count() == 3
    matching_round.refresh_from_db()
    assert matching_round.status == "published"


def test_feedback_and_fit_check_through_the_page(client):
    w = _world()
    w["mentorship"].sessions.update(starts_at=timezone.now() - dt.timedelta(hours=2))
    Mentorship.objects.filter(pk=w["mentorship"].pk).update(fit_check_due=timezone.localdate())
    services.session_hold(user=w["mentor"], session_id=w["session"].pk, notes="ok")
    client.force_login(w["seeker"])
    url = reverse("braingain:mentorship", args=[w["mentorship"].pk])
    page = client.get(url).content.decode()
    assert page.count('id="id_feedback-comment"') == 1
    assert page.count('id="id_fit-comment"') == 1
    client.post(
        url,
        {
            "action": "feedback",
            "session": w["session"].pk,
            "feedback-rating": "4",
            "feedback-comment": XSS,
        },
    )
    client.post(url, {"action": "fit", "fit-answer": "good", "fit-comment": ""})
    feedback = w["session"].feedback.get()
    assert (feedback.rating, feedback.author) == (4, w["seeker"])
    assert w["mentorship"].fit_checks.get().answer == "good"
    assert "<script>alert" not in client.get(url).content.decode()
    # a second answer changes nothing
    client.post(url, {"action": "fit", "fit-answer": "poor", "fit-comment": ""})
    assert w["mentorship"].fit_checks.get().answer == "good"
    assert Mentorship.objects.get().status == MentorshipStatus.ACTIVE


def test_engagement_through_the_page_sign_deliver_accept_and_pay(client):
    w = _world()
    url = reverse("braingain:engagement", args=[w["engagement"].pk])
    first = w["engagement"].milestones.order_by("position").first()
    for person in (w["consultant"], w["rep"]):
        client.force_login(person)
        client.post(url, {"action": "sign"})
    client.force_login(w["consultant"])
    bad = client.post(
        url, {"action": "submit", "milestone": first.pk, "note": "Done", "link": "javascript:x"}
    )
    assert "link" in bad.context["deliver_form"].errors
    client.post(
        url, {"action": "submit", "milestone": first.pk, "note": XSS, "link": "files.example/a"}
    )
    client.post(url, {"action": "invoice", "milestone": first.pk, "reference": "INV-7"})
    client.force_login(w["rep"])
    assert "<script>alert" not in client.get(url).content.decode()
    client.post(url, {"action": "review", "milestone": first.pk, "decision": "accept", "note": ""})
    client.post(url, {"action": "mark_paid", "milestone": first.pk, "reference": "TT-1"})
    first.refresh_from_db()
    assert (first.status, first.payment_status, first.payment_reference) == (
        "accepted",
        "paid",
        "TT-1",
    )
    assert first.deliverables.get().link == "https://files.example/a"
