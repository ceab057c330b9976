from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    EngineerProfileFactory,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.models import AuditLog, Event
from rabta.engine.taxonomy import taxonomy
from rabta.profiling import selectors, services
from rabta.profiling.inventory import ITEMS
from rabta.profiling.models import (
    MAX_EXPERIENCE_CHARS,
    Assessment,
    AssessmentState,
    EngagementOutcome,
    PathwayPrior,
    SkillClaim,
    SkillSuggestion,
    SuggestionState,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DIGITAL = {
    "english_written": "2",
    "english_spoken": "2",
    "collaboration_tools": ["Zoom", "Google Meet"],
    "payment": "unsure",
    "online_profiles": ["LinkedIn"],
    "internet": "patchy",
    "power_backup": "ups",
    "hours_per_week": "12",
}
GOALS = {"goal": "first_client", "target_monthly_usd": "400", "goal_note": ""}
CAD_LIKES = {item.code: ("5" if item.theme in ("draw", "model") else "2") for item in ITEMS}


def skill_id(label: str) -> str:
    return next(s.id for s in taxonomy().skills if s.label == label)


def url(step: str) -> str:
    return reverse("profiling:step", args=[step])


@pytest.fixture
def engineer(client):
    user = EngineerProfileFactory(discipline="CIVIL").user
    client.force_login(user)
    return user


def walk_to_results(
    client, skills=("use CAD software", "technical drawings"), tools=("AutoCAD", "autodesk revit")
):
    client.post(reverse("profiling:start"))
    for label in skills:
        client.post(url("skills"), {"action": "add", "skill_id": skill_id(label), "level": "3"})
    client.post(url("skills"), {"action": "done"})
    client.post(url("experience"), {"action": "done", "text": ""})
    for tool in tools:
        client.post(url("tools"), {"action": "add", "tool": tool})
    client.post(url("tools"), {"action": "done"})
    client.post(url("digital"), {**DIGITAL, "action": "done"})
    client.post(url("interests"), {**CAD_LIKES, "action": "done"})
    client.post(url("goals"), {**GOALS, "action": "done"})
    return client.post(reverse("profiling:review"))


def test_a_civil_engineer_completes_the_assessment_and_gets_explained_cad_and_bim_pathways(
    client, engineer
):
    response = walk_to_results(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("profiling:results")
    page = client.get(reverse("profiling:results"))
    rows = page.context["rows"]
    assert {rows[0]["pathway"].slug, rows[1]["pathway"].slug} == {
        "cad-drafting-3d-modelling",
        "bim-modelling",
    }
    body = page.content.decode()
    assert "use CAD software" in body  # the supporting skill is named
    assert "Autodesk AutoCAD" in body  # tools were matched to their catalogue names
    assert "Days 1–30" in body
    assert "Days 61–90" in body
    assert "ESCO classification of the European Commission" in body
    assessment = Assessment.objects.get(user=engineer)
    assert assessment.state == AssessmentState.COMPLETED
    assert assessment.tools == ["Autodesk AutoCAD", "Autodesk Revit"]
    assert Event.objects.filter(kind="assessed", actor_id=engineer.pk).count() == 1


def test_skill_search_answers_as_you_type_and_escapes_the_query(client, engineer):
    response = client.get(reverse("profiling:skill_search"), {"q": "autoc"}, **HTMX)
    assert "create AutoCAD drawings" in response.content.decode()
    hostile = client.get(reverse("profiling:skill_search"), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in hostile.content.decode()
    assert "&lt;script&gt;" in hostile.content.decode()
    long = client.get(reverse("profiling:skill_search"), {"q": "a" * 5000})
    assert long.status_code == 200


def test_an_unknown_skill_or_level_is_refused_and_nothing_is_added(client, engineer):
    client.post(reverse("profiling:start"))
    for payload in (
        {"skill_id": "../../etc/passwd", "level": "3"},
        {"skill_id": skill_id("use CAD software"), "level": "9"},
        {"skill_id": "<img src=x onerror=alert(1)>", "level": "2"},
    ):
        client.post(url("skills"), {"action": "add", **payload})
    assert SkillClaim.objects.count() == 0
    refused = client.post(url("skills"), {"action": "done"}, follow=True)
    assert "Add at least one skill" in refused.content.decode()


def test_adding_a_skill_twice_updates_its_level_instead_of_duplicating(client, engineer):
    client.post(reverse("profiling:start"))
    sid = skill_id("use CAD software")
    client.post(url("skills"), {"action": "add", "skill_id": sid, "level": "2"})
    client.post(url("skills"), {"action": "add", "skill_id": sid, "level": "4"}, **HTMX)
    assert list(SkillClaim.objects.values_list("skill_id", "level")) == [(sid, 4)]


def test_experience_text_suggests_skills_that_are_confirmed_or_rejected_and_not_suggested_again(
    client, engineer, django_capture_on_commit_callbacks
):
    client.post(reverse("profiling:start"))
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, run inline
        client.post(
            url("experience"),
            {
                "action": "analyse",
                "text": "Prepared AutoCAD drawings and Revit models for buildings.",
            },
        )
    pending = list(SkillSuggestion.objects.filter(state=SuggestionState.PENDING))
    assert pending
    keep, drop = pending[0], pending[1]
    client.post(url("experience"), {"action": "confirm", "suggestion_id": keep.pk, "level": "3"})
    client.post(url("experience"), {"action": "reject", "suggestion_id": drop.pk})
    assert SkillClaim.objects.filter(skill_id=keep.skill_id, level=3, source="text").exists()
    assert not SkillClaim.objects.filter(skill_id=drop.skill_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("experience"),
            {
                "action": "analyse",
                "text": "Prepared AutoCAD drawings and Revit models for buildings.",
            },
        )
    again = set(
        SkillSuggestion.objects.filter(state=SuggestionState.PENDING).values_list(
            "skill_id", flat=True
        )
    )
    assert again
    assert keep.skill_id not in again
    assert drop.skill_id not in again


def test_empty_enormous_urdu_and_hostile_text_get_clear_handling(
    client, engineer, django_capture_on_commit_callbacks
):
    client.post(reverse("profiling:start"))
    client.post(url("experience"), {"action": "analyse", "text": "Revit modelling"})
    before = Assessment.objects.get(user=engineer).experience_text
    with django_capture_on_commit_callbacks() as sent:
        empty = client.post(url("experience"), {"action": "analyse", "text": "  ... "})
        enormous = client.post(
            url("experience"), {"action": "analyse", "text": "x " * MAX_EXPERIENCE_CHARS}
        )
    assert empty.status_code == 200
    assert "Write a few sentences about your work first" in empty.content.decode()
    assert enormous.status_code == 200
    assert "at most 20000 characters" in enormous.content.decode()
    assert Assessment.objects.get(user=engineer).experience_text == before
    assert sent == []
    urdu = client.post(
        url("experience"),
        {"action": "analyse", "text": "میں نے عمارتوں کے نقشے بنائے"},
        follow=True,
    )
    assert urdu.status_code == 200
    assert Assessment.objects.get(user=engineer).experience_text == "میں نے عمارتوں کے نقشے بنائے"
    hostile = "<script>alert('x')</script> AutoCAD drafting"
    client.post(url("experience"), {"action": "analyse", "text": hostile})
    page = client.get(url("experience")).content.decode()
    assert "<script>alert('x')" not in page
    assert "&lt;script&gt;" in page


def test_autosave_keeps_partial_answers_and_the_assessment_resumes_where_it_stopped(
    client, engineer
):
    client.post(reverse("profiling:start"))
    client.post(
        url("skills"), {"action": "add", "skill_id": skill_id("use CAD software"), "level": "3"}
    )
    client.post(url("skills"), {"action": "done"})
    client.post(url("experience"), {"action": "done", "text": ""})
    client.post(url("tools"), {"action": "done"})
    # half the interest items are answered, then the connection drops
    half = dict(list(CAD_LIKES.items())[:15])
    saved = client.post(url("interests"), {**half, "action": "autosave"}, **HTMX)
    assert saved.status_code == 200
    assert saved.content.decode() == "Saved."
    assert len(Assessment.objects.get(user=engineer).interests) == 15
    # a partial digital step is kept too, without counting as done
    client.post(url("digital"), {"english_written": "3", "action": "autosave"}, **HTMX)
    assessment = Assessment.objects.get(user=engineer)
    assert assessment.english_written == 3
    assert "digital" not in assessment.completed_steps
    # coming back later lands on the first unfinished step, with the answers in place
    resumed = client.get(reverse("profiling:home"))
    assert resumed["Location"] == url("digital")
    page = client.get(url("interests"))
    assert page.context["open"] == 15
    # finishing with items still open is refused and keeps what is there
    refused = client.post(url("interests"), {"action": "done"})
    assert "15 are still open" in refused.content.decode()
    assert len(Assessment.objects.get(user=engineer).interests) == 15


def test_finishing_with_steps_missing_is_refused(client, engineer):
    client.post(reverse("profiling:start"))
    response = client.post(reverse("profiling:review"), follow=True)
    assert "Some steps are not finished yet" in response.content.decode()
    assert Assessment.objects.get(user=engineer).state == AssessmentState.IN_PROGRESS


def test_the_assessment_needs_an_engineer_profile(client):
    user = user_with_role(Role.ENGINEER)
    client.force_login(user)
    assert (
        "Create your engineer profile first"
        in client.get(reverse("profiling:home")).content.decode()
    )
    client.post(reverse("profiling:start"))
    assert not Assessment.objects.filter(user=user).exists()


def test_reassessment_starts_from_the_last_answers_and_shows_progress(client, engineer):
    walk_to_results(client)
    client.post(reverse("profiling:start"))
    second = Assessment.objects.get(user=engineer, state=AssessmentState.IN_PROGRESS)
    assert second.number == 2
    assert second.skills.count() == 2
    assert second.tools == ["Autodesk AutoCAD", "Autodesk Revit"]
    for label in ("building information modelling", "interpret 3D plans", "construction methods"):
        client.post(url("skills"), {"action": "add", "skill_id": skill_id(label), "level": "3"})
    for step, data in (
        ("skills", {}),
        ("experience", {"text": ""}),
        ("tools", {}),
        ("digital", DIGITAL),
        ("interests", CAD_LIKES),
        ("goals", GOALS),
    ):
        client.post(url(step), {**data, "action": "done"})
    client.post(reverse("profiling:review"))
    page = client.get(reverse("profiling:results"))
    bim = next(r for r in page.context["rows"] if r["pathway"].slug == "bim-modelling")
    assert bim["change"] > 0
    assert "points since last time" in page.content.decode()


def test_a_person_chooses_a_pathway_and_gets_its_plan(client, engineer):
    walk_to_results(client)
    client.post(reverse("profiling:results"), {"action": "choose", "pathway": "gis-remote-sensing"})
    page = client.get(reverse("profiling:results"))
    assert page.context["chosen_pathway"].slug == "gis-remote-sensing"
    assert "Your 30/60/90-day plan: GIS" in page.content.decode()
    bogus = client.post(reverse("profiling:results"), {"action": "choose", "pathway": "../admin"})
    assert bogus.status_code == 302
    assert selectors.latest_result(user=engineer).chosen_pathway == "gis-remote-sensing"


def test_a_reported_first_engagement_moves_that_pathways_prior(client, engineer):
    walk_to_results(client)
    client.post(reverse("profiling:results"), {"action": "choose", "pathway": "mep-design"})
    others = [EngineerProfileFactory().user for _ in range(3)]
    for other in others:
        client.force_login(other)
        walk_to_results(client)
        client.post(reverse("profiling:results"), {"action": "choose", "pathway": "bim-modelling"})
    client.force_login(engineer)
    response = client.post(
        reverse("profiling:results"),
        {
            "action": "outcome",
            "pathway": "mep-design",
            "platform": "Upwork",
            "amount_usd": "350.00",
            "won_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert EngagementOutcome.objects.get(user=engineer).pathway == "mep-design"
    from rabta.engine.pathways import pathway

    assert PathwayPrior.objects.get(slug="mep-design").prior > pathway("mep-design").demand_prior
    assert (
        PathwayPrior.objects.get(slug="bim-modelling").prior < pathway("bim-modelling").demand_prior
    )
    future = client.post(
        reverse("profiling:results"),
        {
            "action": "outcome",
            "pathway": "mep-design",
            "platform": "Upwork",
            "amount_usd": "1",
            "won_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert "cannot be in the future" in future.content.decode()
    assert EngagementOutcome.objects.get(user=engineer).amount_usd == 350


def test_nobody_can_decide_another_persons_suggestion(
    client, engineer, django_capture_on_commit_callbacks
):
    client.post(reverse("profiling:start"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("experience"), {"action": "analyse", "text": "AutoCAD drafting of plans"})
    theirs = SkillSuggestion.objects.first()
    intruder = EngineerProfileFactory().user
    client.force_login(intruder)
    client.post(reverse("profiling:start"))
    response = client.post(url("experience"), {"action": "confirm", "suggestion_id": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == SuggestionState.PENDING
    assert not SkillClaim.objects.filter(assessment__user=intruder).exists()


def test_results_are_private_to_their_owner_and_programme_staff(client, engineer):
    walk_to_results(client)
    target = reverse("profiling:staff_results", args=[engineer.pk])
    for role in (Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST):
        other = user_with_role(role)
        login_with_second_factor(client, other)
        assert client.get(target).status_code == 403
        # nobody else's results show on their own results page
        own = client.get(reverse("profiling:results"))
        assert own.status_code == 302
    staff = user_with_role(Role.PROGRAMME_STAFF)
    login_with_second_factor(client, staff)
    page = client.get(target)
    assert page.status_code == 200
    assert engineer.email in page.content.decode()
    assert AuditLog.objects.filter(actor=staff, action="profiling.results.view").count() == 1
    assert client.get(reverse("profiling:staff_results", args=[999999])).status_code == 404


def test_analysts_see_only_suppressed_aggregates(client, engineer):
    walk_to_results(client)
    analyst = user_with_role(Role.COUNCIL_ANALYST)
    login_with_second_factor(client, analyst)
    page = client.get(reverse("profiling:insights"))
    assert page.status_code == 200
    body = page.content.decode()
    assert engineer.email not in body
    assert page.context["people"] is None  # one participant: below the threshold
    assert all(n is None for _, n in page.context["top"])
    login_with_second_factor(client, engineer)
    assert client.get(reverse("profiling:insights")).status_code == 403


def test_reprofiling_follows_a_demand_change_keeps_choices_and_costs_queries_per_batch_only(
    client, engineer, django_assert_max_num_queries
):
    walk_to_results(client)
    client.post(reverse("profiling:results"), {"action": "choose", "pathway": "bim-modelling"})
    for other in [EngineerProfileFactory().user for _ in range(4)]:
        client.force_login(other)
        walk_to_results(client)
    before = selectors.latest_result(user=engineer).pathways
    PathwayPrior.objects.create(slug="quantity-takeoff-cost-estimation", prior=1.0)
    with django_assert_max_num_queries(12):
        assert services.results_recompute(batch=500) == 5
    after = selectors.latest_result(user=engineer)
    fit = {p["slug"]: p["fit"] for p in after.pathways}
    old = {p["slug"]: p["fit"] for p in before}
    assert fit["quantity-takeoff-cost-estimation"] > old["quantity-takeoff-cost-estimation"]
    assert fit["bim-modelling"] == old["bim-modelling"]
    assert after.chosen_pathway == "bim-modelling"


def test_continuing_from_the_experience_step_keeps_the_text(client, engineer):
    client.post(reverse("profiling:start"))
    client.post(url("experience"), {"action": "analyse", "text": "Revit modelling"})
    response = client.post(url("experience"), {"action": "done"})
    assert response["Location"] == url("tools")
    assert Assessment.objects.get(user=engineer).experience_text == "Revit modelling"


def test_choosing_a_low_ranked_pathway_still_gives_a_plan_with_its_gaps(client, engineer):
    walk_to_results(client)
    last = selectors.latest_result(user=engineer).pathways[-1]["slug"]
    client.post(reverse("profiling:results"), {"action": "choose", "pathway": last})
    page = client.get(reverse("profiling:results"))
    assert page.context["chosen"]["slug"] == last
    assert page.context["chosen"]["gaps"]
    assert "Learn " in " ".join(page.context["plan"][0][1])


def test_tools_refuse_oversized_names_and_keep_hostile_ones_inert_and_unique(client, engineer):
    client.post(reverse("profiling:start"))
    too_long = client.post(url("tools"), {"action": "add", "tool": "x" * 81})
    assert "at most 80 characters" in too_long.content.decode()
    client.post(url("tools"), {"action": "add", "tool": "<b onmouseover=alert(1)>CAD</b>"})
    client.post(url("tools"), {"action": "add", "tool": "AutoCAD"})
    client.post(url("tools"), {"action": "add", "tool": "autodesk autocad"})
    assert Assessment.objects.get(user=engineer).tools == [
        "<b onmouseover=alert(1)>CAD</b>",
        "Autodesk AutoCAD",
    ]
    page = client.get(url("tools")).content.decode()
    assert "<b onmouseover" not in page
    assert "&lt;b onmouseover" in page


def test_out_of_range_digital_answers_are_refused_and_nothing_is_saved(client, engineer):
    client.post(reverse("profiling:start"))
    response = client.post(
        url("digital"), {**DIGITAL, "hours_per_week": "999", "payment": "bitcoin", "action": "done"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "less than or equal to 80" in body
    assert "Select a valid choice" in body
    assessment = Assessment.objects.get(user=engineer)
    assert assessment.hours_per_week is None
    assert "digital" not in assessment.completed_steps
