"""Outage recovery set up by staff per session: the recording and its lighter alternatives, the
check's questions and pass mark, the review queue; and the excuse flow each setting gives."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core.errors import DomainError, NotFound
from rabta.core.models import AuditLog
from rabta.programme.models import Application, Attendance, Excuse, LiveSession
from rabta.programme.services import attendance, recovery, sessions
from rabta.programme.tests.factories import CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"question": "What should a first milestone fund?", "options": ["All", "A part"], "answer": 1},
    {"question": "Pay outside the platform?", "options": ["No", "Yes", "Maybe"], "answer": 0},
    {
        "question": "What makes a portfolio credible?",
        "options": ["Outcomes", "Length"],
        "answer": 0,
    },
]
AUDIT = "programme.session_recovery_set"


@pytest.fixture
def staff():
    return user_with_role(Role.PROGRAMME_STAFF)


@pytest.fixture
def session(staff):
    """The first session of a cohort, held two days ago, with nothing set up."""
    cohort = CohortFactory(seats=100)
    sessions.timetable_create(actor=staff, cohort_id=cohort.pk)
    first = cohort.sessions.order_by("starts_at").first()
    ago = timezone.now() - timedelta(days=2)
    LiveSession.objects.filter(pk=first.pk).update(starts_at=ago, ends_at=ago + timedelta(hours=2))
    return LiveSession.objects.select_related("cohort").get(pk=first.pk)


def _participant(cohort):
    return Application.objects.create(
        cohort=cohort, user=verified_engineer(), state="confirmed", submitted_at=timezone.now()
    )


def _set(staff, session, **changes):
    values = {
        "recording_url": "https://rec.example.pk/s1",
        "audio_url": "https://rec.example.pk/s1.mp3",
        "slides_url": "https://rec.example.pk/s1.pdf",
        "pass_mark": 66,
        "questions": QUESTIONS,
        **changes,
    }
    return recovery.session_recovery_set(actor=staff, session_id=session.pk, **values)


def _unchanged(session):
    fresh = LiveSession.objects.get(pk=session.pk)
    return (
        fresh.recording_url,
        fresh.audio_url,
        fresh.slides_url,
        fresh.check_questions,
        fresh.pass_mark,
    ) == ("", "", "", [], 66)


# --- the staff page -------------------------------------------------------------------------------


def _form(questions, **fields):
    data = {
        "action": "save",
        "recording_url": "https://rec.example.pk/s1",
        "audio_url": "https://rec.example.pk/s1.mp3",
        "slides_url": "https://rec.example.pk/s1.pdf",
        "pass_mark": "70",
        "q-TOTAL_FORMS": str(len(questions)),
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "10",
        **fields,
    }
    for index, (question, options, answer) in enumerate(questions):
        data[f"q-{index}-question"] = question
        data[f"q-{index}-options"] = "\n".join(options)
        data[f"q-{index}-answer"] = str(answer)
    return data


def test_staff_set_up_a_session_from_the_sessions_page(client, session):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    listing = client.get(reverse("programme:staff_sessions", args=[session.cohort.slug]))
    url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    assert f'href="{url}"' in listing.content.decode()
    response = client.post(
        url,
        _form(
            [
                ("First question?", ["Yes", "No"], 1),
                ("Second question?", ["One", " Two ", "", "Three"], 3),
                ("", [], ""),  # the empty row a page always offers
            ]
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.check_questions == [
        {"question": "First question?", "options": ["Yes", "No"], "answer": 0},
        {"question": "Second question?", "options": ["One", "Two", "Three"], "answer": 2},
    ]
    assert (session.recording_url, session.audio_url, session.slides_url, session.pass_mark) == (
        "https://rec.example.pk/s1",
        "https://rec.example.pk/s1.mp3",
        "https://rec.example.pk/s1.pdf",
        70,
    )
    assert AuditLog.objects.filter(action=AUDIT, target_id=str(session.pk)).count() == 1
    page = client.get(url).content.decode()
    assert "Second question?" in page
    assert "One\nTwo\nThree" in page


def test_a_question_is_edited_and_another_removed_on_the_page(client, staff, session):
    _set(staff, session)
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    data = _form(
        [
            ("Edited first?", ["All", "A part"], 1),
            (QUESTIONS[1]["question"], QUESTIONS[1]["options"], 1),
            (QUESTIONS[2]["question"], QUESTIONS[2]["options"], 1),
        ],
        **{"q-INITIAL_FORMS": "3", "q-1-DELETE": "on"},
    )
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert [q["question"] for q in session.check_questions] == [
        "Edited first?",
        "What makes a portfolio credible?",
    ]
    assert session.check_questions[1]["answer"] == 0


def test_a_malformed_question_on_the_page_saves_nothing(client, session):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    response = client.post(url, _form([("Only one option?", ["Yes"], 1)]))
    assert response.status_code == 200
    assert "needs 2 to 6 options" in response.content.decode()
    assert _unchanged(session)
    assert not AuditLog.objects.filter(action=AUDIT).exists()


def test_every_change_is_audited_and_no_change_writes_nothing(staff, session):
    _set(staff, session)
    _set(staff, session)
    _set(staff, session, pass_mark=80)
    rows = list(
        AuditLog.objects.filter(action=AUDIT).order_by("pk").values_list("details", flat=True)
    )
    assert [sorted(row["fields"]) for row in rows] == [
        ["audio_url", "check_questions", "recording_url", "slides_url"],
        ["pass_mark"],
    ]


# --- validation -----------------------------------------------------------------------------------


def _question(**changes):
    return {"question": "Q?", "options": ["a", "b"], "answer": 0, **changes}


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ("not json", "could not be read"),
        ('{"question": "Q?"}', "could not be read"),
        ({"question": "Q?"}, "could not be read"),
        ("x" * 20_001, "too long"),
        (["a question as text"], "must have a question"),
        ([{"question": "Q?", "options": ["a", "b"]}], "must have a question"),
        ([_question(extra=1)], "must have a question"),
        ([_question(answer=2)], "choose which option is right"),
        ([_question(answer=-1)], "choose which option is right"),
        ([_question(answer=True)], "choose which option is right"),
        ([_question(answer="0")], "choose which option is right"),
        ([_question(options=["a"])], "needs 2 to 6 options"),
        ([_question(options=list("abcdefg"))], "needs 2 to 6 options"),
        ([_question(options="a,b")], "needs 2 to 6 options"),
        ([_question(options=["a", 2])], "option 2 needs text"),
        ([_question(options=["a", "A"])], "same option twice"),
        ([_question(question="  ")], "needs text"),
        ([_question(question=None)], "needs text"),
        ([_question(question="x" * 301)], "longer than 300"),
        ([_question(options=["a", "b" * 201])], "longer than 200"),
        ([_question(), _question(options=[])], "Question 2 needs 2 to 6 options"),
        ([_question()] * 11, "at most 10 questions"),
    ],
)
def test_malformed_questions_are_refused_whole(staff, session, questions, message):
    with pytest.raises(DomainError) as refused:
        _set(staff, session, questions=questions)
    assert message in " ".join(refused.value.fields["questions"])
    assert _unchanged(session)
    assert not AuditLog.objects.filter(action=AUDIT).exists()


def test_the_limits_themselves_are_accepted(staff, session):
    biggest = [
        {"question": "q" * 300, "options": [f"{n}" + "o" * 199 for n in range(6)], "answer": 5}
    ] * 10
    _set(staff, session, questions=json.dumps(biggest))
    session.refresh_from_db()
    assert len(session.check_questions) == 10
    _set(staff, session, questions=[])
    session.refresh_from_db()
    assert session.check_questions == []


@pytest.mark.parametrize(
    "url",
    [
        "http://rec.example.pk/s1",
        "javascript:alert(1)",
        "ftp://rec.example.pk/s1",
        "data:text/html,hi",
        "not a link",
        "https://" + "a" * 500 + ".pk",
    ],
)
@pytest.mark.parametrize("field", ["recording_url", "audio_url", "slides_url"])
def test_links_must_be_https(staff, session, field, url):
    with pytest.raises(DomainError) as refused:
        _set(staff, session, **{field: url})
    assert list(refused.value.fields) == [field]
    assert _unchanged(session)


@pytest.mark.parametrize("mark", [0, 101, -5, True, "66"])
def test_pass_mark_must_be_a_percentage(staff, session, mark):
    with pytest.raises(DomainError):
        _set(staff, session, pass_mark=mark)
    assert _unchanged(session)


@pytest.mark.parametrize("who", [Role.ENGINEER, Role.COUNCIL_ANALYST, Role.CONTRIBUTOR])
def test_other_roles_are_refused_and_nothing_is_saved(client, session, who):
    person = user_with_role(who)
    with pytest.raises(NotFound):
        _set(person, session)
    login_with_second_factor(client, person)
    url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form([("Q?", ["a", "b"], 1)])).status_code == 403
    assert _unchanged(session)
    assert not AuditLog.objects.filter(action=AUDIT).exists()


def test_a_session_of_another_cohort_is_not_found(client, staff, session):
    other = CohortFactory()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    url = reverse("programme:staff_session", args=[other.slug, session.pk])
    assert client.get(url).status_code == 404


def test_hostile_question_text_is_escaped_for_staff_and_participants(client, staff, session):
    hostile = "<script>alert(1)</script>"
    _set(staff, session, questions=[_question(question=hostile, options=[hostile, "b"])])
    application = _participant(session.cohort)
    attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="power", note=hostile, answers=[0]
    )
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    staff_page = client.get(
        reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    ).content.decode()
    client.force_login(application.user)
    excuse_page = client.get(
        reverse("programme:excuse", args=[session.cohort.slug, session.pk])
    ).content.decode()
    for body in (staff_page, excuse_page):
        assert hostile not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- the excuse flow each setting gives -----------------------------------------------------------


def test_without_questions_the_excuse_goes_to_review_unpassed_and_staff_decide(
    client, staff, session
):
    _set(staff, session, questions=[])
    application = _participant(session.cohort)
    client.force_login(application.user)
    url = reverse("programme:excuse", args=[session.cohort.slug, session.pk])
    page = client.get(url).content.decode()
    assert "This session has no check" in page
    assert client.post(url, {"reason": "power", "note": "No power"}).status_code == 302
    excuse = Excuse.objects.get()
    assert (excuse.state, excuse.check_score, excuse.check_passed) == ("pending", None, False)
    assert not Attendance.objects.exists()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    staff_url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    queue = client.get(staff_url).content.decode()
    assert application.user.display_name in queue
    assert "no check" in queue
    client.post(staff_url, {"action": "approve", "excuse": excuse.pk})
    excuse.refresh_from_db()
    assert excuse.state == "approved"
    assert Attendance.objects.get(application=application).present


def test_staff_reject_from_the_session_queue(client, staff, session):
    _set(staff, session)
    application = _participant(session.cohort)
    excuse = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="internet", answers=[1, 0, 0]
    )
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    url = reverse("programme:staff_session", args=[session.cohort.slug, session.pk])
    client.post(url, {"action": "reject", "excuse": excuse.pk, "note": "Seen online"})
    excuse.refresh_from_db()
    assert (excuse.state, excuse.review_note) == ("rejected", "Seen online")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("count", "mark", "right", "passed"),
    [
        (3, 66, 2, True),  # the default: two of three
        (3, 66, 1, False),
        (10, 70, 7, True),  # at the mark
        (10, 70, 6, False),  # just below it
        (4, 75, 3, True),
        (4, 75, 2, False),
        (3, 100, 3, True),
        (3, 100, 2, False),
    ],
)
def test_the_pass_mark_is_applied_exactly(staff, session, count, mark, right, passed):
    questions = [_question(question=f"Q{n}?", answer=1) for n in range(count)]
    _set(staff, session, questions=questions, pass_mark=mark)
    application = _participant(session.cohort)
    answers = [1] * right + [0] * (count - right)
    excuse = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="power", answers=answers
    )
    assert (excuse.check_score, excuse.check_passed) == (right, passed)


def test_a_failed_check_still_cannot_be_approved(staff, session):
    _set(staff, session)
    application = _participant(session.cohort)
    excuse = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="power", answers=[0, 1, 1]
    )
    with pytest.raises(DomainError):
        attendance.excuse_review(actor=staff, excuse_id=excuse.pk, approve=True)
    assert Excuse.objects.get().state == "pending"
    assert not Attendance.objects.exists()


def test_changing_the_questions_after_a_pass_does_not_undo_it(staff, session):
    _set(staff, session)
    application = _participant(session.cohort)
    attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="power", answers=[1, 0, 1]
    )  # two of three right
    _set(staff, session, questions=[_question(answer=1)], pass_mark=100)
    assert Excuse.objects.get().check_passed
    # the participant sends the report again (with a wrong answer to the new question)
    again = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="internet", answers=[0]
    )
    assert (again.reason, again.check_passed, again.check_score) == ("internet", True, 2)
    attendance.excuse_review(actor=staff, excuse_id=again.pk, approve=True)
    assert Attendance.objects.get(application=application).present


def test_a_session_with_a_recording_offers_the_outage_link(client, staff, session):
    application = _participant(session.cohort)
    client.force_login(application.user)
    pages = [
        reverse("programme:application", args=[session.cohort.slug]),
        reverse("programme:mine"),
    ]
    link = reverse("programme:excuse", args=[session.cohort.slug, session.pk])
    assert [link in client.get(page).content.decode() for page in pages] == [False, False]
    _set(staff, session)
    assert [link in client.get(page).content.decode() for page in pages] == [True, True]
    excuse_page = client.get(link).content.decode()
    assert "https://rec.example.pk/s1.mp3" in excuse_page
    assert "https://rec.example.pk/s1.pdf" in excuse_page
    assert "Watch the recording, then answer the short check below." in excuse_page


# --- the admin ------------------------------------------------------------------------------------


def test_sessions_are_listed_in_the_admin_but_changed_only_on_the_staff_page(client, session):
    person = user_with_role(Role.ADMINISTRATOR)
    person.is_superuser = True
    person.save()
    login_with_second_factor(client, person)
    assert client.get(reverse("admin:programme_livesession_changelist")).status_code == 200
    change = reverse("admin:programme_livesession_change", args=[session.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"recording_url": "http://evil.example"})
    assert _unchanged(session)
    assert client.get(reverse("admin:programme_livesession_add")).status_code == 403
