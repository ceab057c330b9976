"""The Hall of Fame (nominations, the council's review, the engineer's consent, the record from
the platform's own data) and panel calls (applications, selection, the workspace and its
uploads)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.braingain.models import Mentorship, MentorshipSession, MentorshipStatus, SessionStatus
from rabta.community import selectors, services
from rabta.community.documents import filename_clean
from rabta.community.models import (
    CallStatus,
    Honour,
    HonourStatus,
    Nomination,
    PanelApplication,
    PanelDocument,
)
from rabta.community.tests import factories as f
from rabta.core.errors import DomainError, ErrorCode

pytestmark = pytest.mark.django_db

CITATION = "Mentored a dozen young engineers in grid protection and opened doors abroad."


def _nominee():
    person = f.contributor()
    return person, services.member_ensure(user=person).handle


def test_nomination_review_consent_and_the_public_page(client):
    person, handle = _nominee()
    nominator = f.engineer()
    nomination = services.nomination_submit(user=nominator, handle=handle, citation=CITATION)
    with pytest.raises(DomainError) as twice:
        services.nomination_submit(user=nominator, handle=handle, citation=CITATION)
    assert twice.value.code == ErrorCode.CONFLICT
    reviewer = f.staff()
    honour = services.nomination_decide(
        reviewer=reviewer, nomination=nomination, accept=True, note="Checked"
    )
    assert honour is not None
    assert honour.status == HonourStatus.AWAITING_CONSENT
    # not public until the engineer agrees
    assert client.get(reverse("community:honour", args=[honour.slug])).status_code == 404
    assert person.display_name not in client.get(reverse("community:hall_of_fame")).content.decode()
    with pytest.raises(DomainError):
        services.honour_consent(user=nominator, honour=honour, agree=True)
    services.honour_consent(user=person, honour=honour, agree=True)
    page = client.get(reverse("community:honour", args=[honour.slug]))  # anonymous: public
    assert page.status_code == 200
    assert person.display_name in page.content.decode()
    with pytest.raises(DomainError):
        services.nomination_decide(reviewer=reviewer, nomination=nomination, accept=False, note="")


def test_a_declined_honour_is_never_published(client):
    person, handle = _nominee()
    nomination = services.nomination_submit(user=f.engineer(), handle=handle, citation=CITATION)
    honour = services.nomination_decide(
        reviewer=f.staff(), nomination=nomination, accept=True, note=""
    )
    services.honour_consent(user=person, honour=honour, agree=False)
    assert Honour.objects.get(pk=honour.pk).status == HonourStatus.DECLINED
    assert client.get(reverse("community:honour", args=[honour.slug])).status_code == 404


@pytest.mark.parametrize(
    ("handle_of", "citation"),
    [
        ("self", CITATION),
        ("engineer", CITATION),
        ("nobody", CITATION),
        ("nominee", "too short"),
        ("nominee", "x" * 3001),
    ],
)
def test_bad_nominations_are_refused(handle_of, citation):
    _person, handle = _nominee()
    nominator = f.contributor()
    handles = {
        "self": services.member_ensure(user=nominator).handle,
        "engineer": services.member_ensure(user=f.engineer()).handle,
        "nobody": "no-such-person",
        "nominee": handle,
    }
    with pytest.raises(DomainError):
        services.nomination_submit(user=nominator, handle=handles[handle_of], citation=citation)
    assert not Nomination.objects.exists()


def test_nominations_are_limited_per_month():
    nominator = f.engineer()
    for _n in range(services.NOMINATIONS_PER_MONTH):
        services.nomination_submit(user=nominator, handle=_nominee()[1], citation=CITATION)
    with pytest.raises(DomainError) as refused:
        services.nomination_submit(user=nominator, handle=_nominee()[1], citation=CITATION)
    assert refused.value.code == ErrorCode.RATE_LIMITED


@pytest.mark.parametrize(
    "role", [Role.ENGINEER, Role.CONTRIBUTOR, Role.COUNCIL_ANALYST, Role.MODERATOR]
)
def test_only_the_council_reviews_nominations(client, role):
    _person, handle = _nominee()
    nomination = services.nomination_submit(user=f.engineer(), handle=handle, citation=CITATION)
    person = user_with_role(role)
    with pytest.raises(DomainError):
        services.nomination_decide(reviewer=person, nomination=nomination, accept=True, note="")
    login_with_second_factor(client, person)
    assert client.get(reverse("community:nominations_review")).status_code == 404
    client.post(
        reverse("community:nominations_review"), {"nomination": nomination.pk, "accept": "1"}
    )
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"
    assert not Honour.objects.exists()


def test_the_record_comes_from_the_platforms_own_data():
    from rabta.braingain import services as bg
    from rabta.braingain.tests.conftest import contributor, engineer, post_ask

    mentor = contributor()
    seeker = engineer()
    ask = post_ask(seeker)
    request = bg.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    bg.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get()
    MentorshipSession.objects.create(
        mentorship=mentorship,
        starts_at=timezone.now() - dt.timedelta(days=3),
        duration_minutes=90,
        status=SessionStatus.HELD,
    )
    MentorshipSession.objects.create(
        mentorship=mentorship,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=60,
    )  # planned, not held: not counted
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.COMPLETED)
    record = selectors.contribution_record(user_id=mentor.pk)
    assert record["hours"] == 1.5
    assert record["mentorships"] == 1
    assert record["projects_supervised"] == 0
    assert record["engagements"] == 0


def _call(staff, **overrides):
    review = {
        "kind": "curriculum_review",
        "title": "Curriculum review: civil engineering",
        "body": "Review the **structures** stream.",
        "discipline": "CIVIL",
        "sector": "construction",
        "closes_on": timezone.localdate() + dt.timedelta(days=10),
    }
    return f.panel_call(staff, **{**review, **overrides})


STATEMENT = "Twenty years designing bridges; I examine a master's course in structures."


def test_apply_select_and_the_workspace(client, django_capture_on_commit_callbacks):
    staff = f.staff()
    call = _call(staff)
    people = [f.contributor() for _n in range(3)]
    applications = [services.call_apply(user=p, call=call, statement=STATEMENT) for p in people]
    with pytest.raises(DomainError):
        services.call_apply(user=people[0], call=call, statement=STATEMENT)
    with pytest.raises(DomainError) as engineer_refused:
        services.call_apply(user=f.engineer(), call=call, statement=STATEMENT)
    assert engineer_refused.value.code == ErrorCode.NOT_ELIGIBLE
    with pytest.raises(DomainError):
        services.panel_select(actor=staff, call=call, application_ids=[a.pk for a in applications])
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_select(
            actor=staff, call=call, application_ids=[applications[0].pk, applications[1].pk]
        )
    statuses = list(PanelApplication.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["selected", "selected", "not_selected"]
    call.refresh_from_db()
    assert call.status == CallStatus.SELECTED
    assert people[2].notifications.filter(title__contains="not selected").count() == 1
    # the workspace: the panel and the council staff, nobody else
    workspace = reverse("community:workspace", args=[call.pk])
    for outsider in (people[2], f.engineer(), f.contributor(), user_with_role(Role.MODERATOR)):
        client.force_login(outsider)
        assert client.get(workspace).status_code == 404
    client.force_login(people[0])
    upload = SimpleUploadedFile("notes.md", b"# Notes\n\nCompare with Eurocode.")
    response = client.post(workspace, {"action": "document", "title": "Notes", "file": upload})
    assert response.status_code == 302
    document = PanelDocument.objects.get()
    client.post(
        workspace,
        {"action": "comment", "body": "Agreed, *Eurocode* first.", "document": str(document.pk)},
    )
    page = client.get(workspace).content.decode()
    assert "<em>Eurocode</em>" in page
    download = client.get(reverse("community:document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"# Notes\n\nCompare with Eurocode."
    assert 'attachment; filename="notes.md"' in download["Content-Disposition"]
    client.force_login(people[2])
    assert client.get(reverse("community:document", args=[document.pk])).status_code == 404
    login_with_second_factor(client, staff)
    assert client.get(workspace).status_code == 200


def test_a_closed_call_takes_no_applications():
    staff = f.staff()
    call = _call(staff)
    services.call_close(actor=staff, call=call)
    call.refresh_from_db()
    with pytest.raises(DomainError):
        services.call_apply(user=f.contributor(), call=call, statement=STATEMENT)
    with pytest.raises(DomainError):
        _call(staff, closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        _call(staff, discipline="")
    with pytest.raises(DomainError):
        _call(f.contributor())
    assert not PanelApplication.objects.exists()


def _office(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("report.pdf", b"%PDF-1.7\n...", True),
        ("draft.docx", _office(), True),
        ("notes.txt", "ریگولیشن notes".encode(), True),
        ("evil.pdf", b"<html><script>alert(1)</script>", False),
        ("payload.exe", b"MZ\x90\x00", False),
        ("page.html", b"<script>alert(1)</script>", False),
        ("image.svg", b"<svg onload=alert(1)>", False),
        ("fake.docx", b"PK\x03\x04not a zip", False),
        ("bomb.docx", _office({"big.bin": b"\x00" * (101 * 1024 * 1024)}), False),
        ("binary.txt", b"\x00\x01\x02", False),
        ("empty.pdf", b"", False),
        ("big.txt", b"a" * (10 * 1024 * 1024 + 1), False),
    ],
)
def test_uploads_are_checked_by_their_bytes(name, data, accepted):
    staff = f.staff()
    call = _call(staff)
    if accepted:
        document = services.document_add(
            user=staff, call_id=call.pk, title="A file", name=name, data=data
        )
        assert document.filename == name
    else:
        with pytest.raises(DomainError):
            services.document_add(user=staff, call_id=call.pk, title="A file", name=name, data=data)
        assert not PanelDocument.objects.exists()


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ('a"; filename="evil.html.pdf', "a-filename-evil.html.pdf"),
        ("...hidden.txt", "hidden.txt"),
        ("نصاب.pdf", "نصاب.pdf"),
        ("", "document"),
    ],
)
def test_file_names_lose_path_tricks(given, cleaned):
    assert filename_clean(given) == cleaned


def test_a_non_member_cannot_upload_or_comment():
    staff = f.staff()
    call = _call(staff)
    outsider = f.contributor()
    with pytest.raises(DomainError):
        services.document_add(user=outsider, call_id=call.pk, title="x", name="a.txt", data=b"hi")
    with pytest.raises(DomainError):
        services.comment_add(user=outsider, call_id=call.pk, body="Let me in")
    assert not PanelDocument.objects.exists()
    assert not call.comments.exists()
