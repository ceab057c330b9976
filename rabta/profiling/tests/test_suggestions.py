"""Skills suggested from a person's text: the request keeps the text and answers at once, a
worker's task (run inline here) computes the suggestions from its loaded model and stores them,
and the page shows them when they are there."""

import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.tests.factories import EngineerProfileFactory
from rabta.core.errors import DomainError
from rabta.profiling import linker, selectors, services
from rabta.profiling.linker import clear_caches, skill_linker, skill_vectors, text_encoder
from rabta.profiling.models import (
    MAX_EXPERIENCE_CHARS,
    Assessment,
    SkillClaim,
    SkillSuggestion,
    SuggestionState,
    text_fingerprint,
)
from rabta.profiling.services import skills as skills_service
from rabta.profiling.similarity import skill_similarity
from rabta.profiling.tasks import skill_suggestions_task
from rabta.profiling.tests.test_assessment import walk_to_results

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "Six years as a civil engineer: I prepared AutoCAD drawings and Revit models for "
    "residential buildings, checked reinforced concrete designs in ETABS, wrote bills of "
    "quantities and supervised concrete pours on site."
)
PAGE = reverse("profiling:step", args=["experience"])


@pytest.fixture
def engineer(client):
    user = EngineerProfileFactory(discipline="CIVIL").user
    client.force_login(user)
    client.post(reverse("profiling:start"))
    return user


def analyse(client, text=TEXT):
    return client.post(PAGE, {"action": "analyse", "text": text})


def suggested(user):
    return list(
        SkillSuggestion.objects.filter(assessment__user=user)
        .order_by("-score", "skill_id")
        .values_list("skill_id", "label", "score", "state")
    )


def test_the_request_answers_without_the_model_and_the_task_stores_what_the_linker_suggested(
    client, engineer, monkeypatch, django_capture_on_commit_callbacks
):
    held = services.skill_add(user=engineer, skill_id=skill_linker().link(TEXT, 1)[0][0]).skill_id

    def no_model_here(*args, **kwargs):
        raise AssertionError("the web request used the model")

    with monkeypatch.context() as patched:
        patched.setattr(skills_service, "skills_suggest", no_model_here)
        with django_capture_on_commit_callbacks() as sent:
            response = analyse(client)
        waiting = client.get(PAGE, **HTMX).content.decode()

    assert response.status_code == 302
    assert len(sent) == 1
    assert suggested(engineer) == []
    assert "Finding the skills your text mentions" in waiting
    assert 'hx-trigger="load delay:500ms"' in waiting

    sent[0]()  # the worker runs the task

    # what the page computed in the request before: the linker's top skills, less those held
    expected = [
        (skill_id, score)
        for skill_id, score in skill_linker().link(TEXT, services.SUGGESTIONS_PER_TEXT + 1)
        if skill_id != held
    ][: services.SUGGESTIONS_PER_TEXT]
    stored = suggested(engineer)
    assert [(s[0], s[2]) for s in sorted(stored, key=lambda s: (-s[2], s[0]))] == sorted(
        expected, key=lambda s: (-s[1], s[0])
    )
    assert {s[3] for s in stored} == {SuggestionState.PENDING}
    ready = client.get(PAGE, **HTMX).content.decode()
    assert "hx-trigger" not in ready
    assert stored[0][1] in ready
    assessment = Assessment.objects.get(user=engineer)
    assert assessment.suggestions_asked_at is None
    assert assessment.suggestions_text == text_fingerprint(TEXT)


def test_a_duplicate_or_stale_delivery_stores_nothing_more(
    client, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        analyse(client)
    first[0]()
    before = suggested(engineer)
    rows = set(SkillSuggestion.objects.values_list("pk", flat=True))
    assessment = Assessment.objects.get(user=engineer)

    again = skill_suggestions_task.delay(assessment.pk, text_fingerprint(TEXT))  # redelivered
    with django_capture_on_commit_callbacks() as second:
        analyse(client, "Designed PLC ladder logic for conveyor lines and SCADA screens.")
    stale = skill_suggestions_task.delay(assessment.pk, text_fingerprint(TEXT))  # the old text

    assert again.get() == 0
    assert stale.get() == 0
    assert suggested(engineer) == before
    assert set(SkillSuggestion.objects.values_list("pk", flat=True)) == rows
    second[0]()
    assert suggested(engineer) != before


def test_two_deliveries_racing_store_one_set(engineer, monkeypatch):
    """Both compute; the second to lock the assessment finds the work done and adds nothing."""
    assessment = services.experience_save(user=engineer, text=TEXT)
    fingerprint = text_fingerprint(TEXT)
    compute = skills_service.skills_suggest

    def slow_with_a_rival(text, top):
        found = compute(text, top)
        monkeypatch.setattr(skills_service, "skills_suggest", compute)
        assert services.skill_suggestions_compute(
            assessment_id=assessment.pk, fingerprint=fingerprint
        )
        return found

    monkeypatch.setattr(skills_service, "skills_suggest", slow_with_a_rival)

    assert (
        services.skill_suggestions_compute(assessment_id=assessment.pk, fingerprint=fingerprint)
        == 0
    )
    assert len(suggested(engineer)) == services.SUGGESTIONS_PER_TEXT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a few sentences about your work first"),
        ("   \n\t ", "Write a few sentences about your work first"),
        ("!!! ... ---", "Write a few sentences about your work first"),
        ("AutoCAD drafting\x1b[31m of plans", "The text contains control characters"),
        ("Revit\x00 models", "Null characters are not allowed"),
        ("x" * (MAX_EXPERIENCE_CHARS + 1), "at most 20000 characters"),
    ],
    ids=["empty", "blank", "no-words", "terminal-escape", "nul", "oversized"],
)
def test_a_refused_text_is_said_why_and_nothing_is_stored_or_sent(
    client, engineer, django_capture_on_commit_callbacks, text, message
):
    with django_capture_on_commit_callbacks(execute=True):
        analyse(client, "Revit modelling")
    kept = suggested(engineer)

    with django_capture_on_commit_callbacks() as sent:
        response = analyse(client, text)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert sent == []
    assessment = Assessment.objects.get(user=engineer)
    assert assessment.experience_text == "Revit modelling"
    assert assessment.suggestions_asked_at is None
    assert suggested(engineer) == kept


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Survey\x07ed plots", "control characters"),
        ("x" * (MAX_EXPERIENCE_CHARS + 1), "shorten the text"),
        (" ", "Write a few sentences"),
    ],
)
def test_the_service_refuses_what_the_form_would(engineer, text, message):
    with pytest.raises(DomainError, match=message):
        services.experience_analyse(user=engineer, text=text)

    assert Assessment.objects.get(user=engineer).experience_text == ""


def test_someone_else_cannot_see_or_answer_a_persons_suggestions(
    client, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        analyse(client)
    theirs = SkillSuggestion.objects.filter(assessment__user=engineer).first()
    intruder = EngineerProfileFactory().user
    client.force_login(intruder)
    client.post(reverse("profiling:start"))

    own_page = client.get(PAGE).content.decode() + client.get(PAGE, **HTMX).content.decode()
    confirm = client.post(PAGE, {"action": "confirm", "suggestion_id": theirs.pk})
    reject = client.post(PAGE, {"action": "reject", "suggestion_id": theirs.pk})
    client.logout()
    anonymous = client.get(PAGE, **HTMX)

    assert theirs.label not in own_page
    assert confirm.status_code == 404
    assert reject.status_code == 404
    assert anonymous.status_code == 302
    assert theirs.label not in anonymous.content.decode()
    theirs.refresh_from_db()
    assert theirs.state == SuggestionState.PENDING
    assert not SkillClaim.objects.filter(assessment__user=intruder).exists()
    assert not SkillSuggestion.objects.filter(assessment__user=intruder).exists()


def test_without_javascript_a_reload_shows_them_and_a_silent_worker_is_owned_up_to(
    client, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as sent:
        analyse(client)
    waiting = client.get(PAGE).content.decode()
    Assessment.objects.filter(user=engineer).update(
        suggestions_asked_at=timezone.now() - timedelta(minutes=3)
    )
    late = client.get(PAGE, **HTMX).content.decode()
    sent[0]()
    reloaded = client.get(PAGE).content.decode()

    assert "<noscript><a href=" in waiting
    assert "taking longer than usual" in late
    assert "hx-trigger" not in late
    assert "Is this your skill?" in reloaded
    assert "Finding the skills" not in reloaded


def test_a_text_with_no_new_skill_says_so(
    client, engineer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(skills_service, "skills_suggest", lambda text, top: [])
    with django_capture_on_commit_callbacks(execute=True):
        analyse(client)

    assert "No new skills found in the text." in client.get(PAGE, **HTMX).content.decode()
    assert suggested(engineer) == []


def test_continuing_with_a_changed_text_waits_for_its_suggestions(
    client, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"action": "done", "text": TEXT})

    assert response["Location"] == PAGE
    assert suggested(engineer)


def test_builders_run_once_however_many_threads_ask_at_once():
    calls = []
    started = threading.Event()

    def build():
        started.wait(1)
        calls.append(1)
        return object()

    once = linker._Once(build)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(once())) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert len({id(answer) for answer in answers}) == 1


@pytest.fixture
def fresh_builders():
    clear_caches()
    yield
    clear_caches()


def test_results_read_the_skill_vectors_without_loading_the_model(fresh_builders):
    vectors = skill_vectors()

    assert vectors is not None
    assert len(vectors.ids) > 13_000
    assert not text_encoder.built()
    assert not skill_linker.built()


def test_a_whole_assessment_in_the_web_process_never_loads_the_model(
    client, engineer, fresh_builders
):
    skill_similarity.cache_clear()
    analyse(client)  # its task waits for the commit this test never makes: a worker's job

    results = walk_to_results(client)

    assert results.status_code == 302
    assert selectors.latest_result(user=engineer) is not None
    assert skill_vectors.built()  # related-skill credit in the results
    assert not text_encoder.built()
    assert not skill_linker.built()


def test_a_worker_process_warms_the_suggester_in_the_background(settings, fresh_builders):
    settings.RABTA_TEXT_ENCODER = "hashing"
    assert not skill_linker.built()

    linker.warm_in_background().join(30)

    assert skill_linker.built()
