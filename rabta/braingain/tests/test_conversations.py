"""Conversations between matched people: made with each match, members only, messages with
sanitised Markdown and checked attachments, read receipts, one notice per unread burst,
reports, staff reads of reported threads (audited), and every URL against every other role."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from rabta.accounts.models import InstitutionMembership, User
from rabta.accounts.roles import Role
from rabta.accounts.services import user_delete
from rabta.accounts.tests.factories import PASSWORD, login_with_second_factor, user_with_role
from rabta.braingain import selectors_conversations as readers
from rabta.braingain import services
from rabta.braingain.models import (
    MESSAGE_MAX,
    Conversation,
    ConversationMember,
    MatchRequest,
    Mentorship,
    Message,
    MessageReport,
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
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.models import AuditLog, Notification
from rabta.core.uploads import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 "
    b"R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 "
    b"R>>\n%%EOF\n"
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, format="PNG")
    return out.getvalue()


def _verified(person: User) -> User:
    """A staff user as a page sees them after their second factor (for direct service calls)."""
    person.is_verified = lambda: True  # type: ignore[attr-defined]
    return person


def _mentorship(seeker: User | None = None, **ask: Any) -> tuple[Mentorship, User, User]:
    seeker = seeker or engineer()
    mentor = contributor()
    asked = post_ask(seeker, **ask)
    request = services.request_send(user=seeker, ask_id=asked.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    return Mentorship.objects.get(request=request), seeker, mentor


def _members(conversation: Conversation) -> dict[int, str]:
    return dict(conversation.members.values_list("user_id", "role"))


def _stored_files(folder: str = "conversations") -> list[str]:
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in files] + [
        path for sub in folders for path in _stored_files(f"{folder}/{sub}")
    ]


def _thread(mentorship: Mentorship) -> Conversation:
    return Conversation.objects.get(mentorship=mentorship)


# --- made with each kind of match ---------------------------------------------------------------


def test_accepting_a_request_makes_the_mentorship_conversation_once():
    mentorship, seeker, mentor = _mentorship()

    conversation = _thread(mentorship)
    again = services.conversation_for_match(mentorship=mentorship)

    assert again.pk == conversation.pk
    assert Conversation.objects.count() == 1
    assert conversation.subject == mentorship.ask.title
    assert _members(conversation) == {mentor.pk: "mentor", seeker.pk: "mentee"}


def test_an_institution_ask_adds_its_representatives_and_no_one_else():
    rep, institution = institution_rep()
    colleague = user_with_role(Role.INSTITUTION_REP)
    InstitutionMembership.objects.create(institution=institution, user=colleague)
    outsider, _elsewhere = institution_rep()

    mentorship, _seeker, mentor = _mentorship(
        rep, kind="fyp_supervision", institution_id=institution.pk
    )

    assert _members(_thread(mentorship)) == {
        mentor.pk: "mentor",
        rep.pk: "mentee",
        colleague.pk: "institution",
    }
    assert outsider.pk not in _members(_thread(mentorship))


def test_a_representative_who_leaves_the_institution_leaves_its_conversations(client):
    rep, institution = institution_rep()
    colleague = user_with_role(Role.INSTITUTION_REP)
    InstitutionMembership.objects.create(institution=institution, user=colleague)
    elsewhere = institution_rep()[1]
    InstitutionMembership.objects.create(institution=elsewhere, user=colleague)
    mentorship, _seeker, mentor = _mentorship(
        rep, kind="fyp_supervision", institution_id=institution.pk
    )
    conversation = _thread(mentorship)

    InstitutionMembership.objects.filter(institution=institution, user=colleague).delete()

    assert _members(conversation) == {mentor.pk: "mentor", rep.pk: "mentee"}
    client.force_login(colleague)
    assert client.get(reverse("braingain:conversation", args=[conversation.pk])).status_code == 404
    assert InstitutionMembership.objects.filter(user=colleague).count() == 1  # the other stays


def test_awarding_a_project_makes_the_engagement_conversation():
    rep, institution = institution_rep()
    colleague = user_with_role(Role.INSTITUTION_REP)
    InstitutionMembership.objects.create(institution=institution, user=colleague)
    consultant = contributor()
    job = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant, ask_id=job.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )

    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)

    conversation = Conversation.objects.get(engagement=engagement)
    assert _members(conversation) == {
        consultant.pk: "consultant",
        rep.pk: "client",
        colleague.pk: "institution",
    }


def test_an_accepted_request_without_a_mentorship_has_its_own_conversation():
    seeker, mentor, stranger = engineer(), contributor(), contributor()
    asked = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=asked.pk, contributor_id=mentor.pk)
    MatchRequest.objects.filter(pk=request.pk).update(status=RequestStatus.ACCEPTED)

    with pytest.raises(NotFound):
        services.conversation_open(user=stranger, match="request", match_id=request.pk)
    assert not Conversation.objects.exists()

    conversation = services.conversation_open(user=mentor, match="request", match_id=request.pk)
    again = services.conversation_open(user=seeker, match="request", match_id=request.pk)

    assert again.pk == conversation.pk
    assert conversation.request_id == request.pk
    assert _members(conversation) == {mentor.pk: "contributor", seeker.pk: "seeker"}


def test_a_request_not_accepted_has_no_conversation():
    seeker, mentor = engineer(), contributor()
    asked = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=asked.pk, contributor_id=mentor.pk)

    with pytest.raises(NotFound):
        services.conversation_open(user=seeker, match="request", match_id=request.pk)
    with pytest.raises(DomainError) as refused:
        services.conversation_for_match(request=request)

    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    assert not Conversation.objects.exists()


def test_an_accepted_request_leads_to_its_mentorship_conversation():
    mentorship, seeker, _mentor = _mentorship()

    opened = services.conversation_open(
        user=seeker, match="request", match_id=mentorship.request_id
    )

    assert opened.pk == _thread(mentorship).pk
    assert Conversation.objects.count() == 1


def test_a_match_older_than_conversations_gets_one_when_first_opened(client):
    mentorship, seeker, _mentor = _mentorship()
    Conversation.objects.all().delete()
    url = reverse("braingain:conversation_for", args=["mentorship", mentorship.pk])

    client.force_login(contributor())
    assert client.get(url).status_code == 404
    assert not Conversation.objects.exists()

    client.force_login(seeker)
    response = client.get(url)

    conversation = _thread(mentorship)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("braingain:conversation", args=[conversation.pk]) + "#latest"
    )


@pytest.mark.parametrize("match", ["mentorship", "user", "ask"])
def test_there_is_no_way_to_open_a_conversation_with_a_stranger(match):
    seeker, stranger = engineer(), contributor()

    with pytest.raises(NotFound):
        services.conversation_open(user=seeker, match=match, match_id=stranger.pk)

    assert not Conversation.objects.exists()


# --- messages -------------------------------------------------------------------------------------


def test_a_member_sends_and_the_other_reads():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)

    first = services.message_send(
        user=seeker, conversation_id=conversation.pk, body="Hello **Dr.**"
    )
    services.message_send(user=seeker, conversation_id=conversation.pk, body="Second")

    conversation.refresh_from_db()
    assert first.body_html == "<p>Hello <strong>Dr.</strong></p>\n"
    assert conversation.last_message_at is not None
    assert [r.unread for r in readers.conversation_list(user=mentor)] == [2]
    assert [r.unread for r in readers.conversation_list(user=seeker)] == [0]
    assert readers.conversation_unread_count(user=mentor) == 1
    assert readers.conversation_unread_count(user=seeker) == 0

    services.conversation_read(user=mentor, conversation_id=conversation.pk)

    assert [r.unread for r in readers.conversation_list(user=mentor)] == [0]
    assert readers.conversation_unread_count(user=mentor) == 0
    services.message_send(user=seeker, conversation_id=conversation.pk, body="Third")
    assert readers.conversation_unread_count(user=mentor) == 1


def test_a_message_from_a_deleted_account_still_counts_as_unread():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    services.message_send(user=seeker, conversation_id=conversation.pk, body="Before I go")
    Message.objects.update(author=None)

    assert [r.unread for r in readers.conversation_list(user=mentor)] == [1]
    assert readers.conversation_unread_count(user=mentor) == 1


def test_a_stranger_cannot_send_or_read():
    mentorship, _seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    stranger = engineer()

    with pytest.raises(NotFound):
        services.message_send(user=stranger, conversation_id=conversation.pk, body="Hi")
    with pytest.raises(NotFound):
        services.conversation_read(user=stranger, conversation_id=conversation.pk)

    assert not Message.objects.exists()
    assert not ConversationMember.objects.filter(user=stranger).exists()


def test_seen_when_every_other_member_has_read():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    services.message_send(user=seeker, conversation_id=conversation.pk, body="Are you there?")

    before = readers.conversation_messages(conversation).messages
    services.conversation_read(user=mentor, conversation_id=conversation.pk)
    after = readers.conversation_messages(conversation).messages

    assert [m.seen for m in before] == [False]  # type: ignore[attr-defined]
    assert [m.seen for m in after] == [True]  # type: ignore[attr-defined]


def test_the_thread_page_shows_sent_then_seen(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    services.message_send(user=seeker, conversation_id=conversation.pk, body="Question")
    url = reverse("braingain:conversation", args=[conversation.pk])

    client.force_login(seeker)
    assert ">Sent<" in client.get(url).content.decode()
    client.force_login(mentor)
    client.get(url)  # the mentor opens the thread
    client.force_login(seeker)

    assert ">Seen<" in client.get(url).content.decode()


def test_one_notice_per_unread_burst_to_the_others_only():
    rep, institution = institution_rep()
    colleague = user_with_role(Role.INSTITUTION_REP)
    InstitutionMembership.objects.create(institution=institution, user=colleague)
    mentorship, _rep, mentor = _mentorship(
        rep, kind="fyp_supervision", institution_id=institution.pk
    )
    conversation = _thread(mentorship)
    Notification.objects.all().delete()

    for n in range(3):
        services.message_send(user=mentor, conversation_id=conversation.pk, body=f"Note {n}")

    told = Notification.objects.filter(kind="braingain.message")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([rep.pk, colleague.pk])

    services.conversation_read(user=rep, conversation_id=conversation.pk)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="After you read")

    assert told.filter(user=rep).count() == 2
    assert told.filter(user=colleague).count() == 1
    assert not told.filter(user=mentor).exists()
    assert told.filter(user=rep, read_at__isnull=True).count() == 1  # reading read the first


def test_the_notice_has_a_short_plain_preview_and_a_link():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    body = "**Please** read [the drawing](https://example.org/d) before Saturday. " + "x" * 200

    services.message_send(user=seeker, conversation_id=conversation.pk, body=body)

    notice = Notification.objects.get(user=mentor, kind="braingain.message")
    preview = notice.body.split(": ", 1)[1]
    assert notice.title == f"New message: {conversation.subject}"
    assert notice.body.startswith(f"{seeker.display_name}: Please read the drawing before")
    assert len(preview) == 80
    assert "**" not in notice.body
    assert notice.url == reverse("braingain:conversation", args=[conversation.pk]) + "#latest"


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ('<script>alert("x")</script>', '<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>\n'),
        ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
        (
            '<a href="https://e.org" onclick="steal()">x</a>',
            '<p>&lt;a href="https://e.org" onclick="steal()"&gt;x&lt;/a&gt;</p>\n',
        ),
    ],
)
def test_markdown_is_sanitised(client, body, html):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)

    message = services.message_send(user=seeker, conversation_id=conversation.pk, body=body)
    client.force_login(seeker)
    page = client.get(reverse("braingain:conversation", args=[conversation.pk])).content.decode()

    assert message.body_html == html
    assert html in page
    assert 'href="javascript' not in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("", "body"),
        ("   \n  ", "body"),
        ("x" * (MESSAGE_MAX + 1), "body"),
        (" ".join(f"https://e.org/{n}" for n in range(11)), "body"),
    ],
)
def test_empty_oversized_and_link_stuffed_bodies_are_refused_and_nothing_saved(body, field):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    Notification.objects.all().delete()

    with pytest.raises(DomainError) as refused:
        services.message_send(user=seeker, conversation_id=conversation.pk, body=body)

    conversation.refresh_from_db()
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert list(refused.value.fields) == [field]
    assert not Message.objects.exists()
    assert conversation.last_message_at is None
    assert not Notification.objects.exists()


def test_a_message_of_exactly_the_limit_is_accepted():
    mentorship, seeker, _mentor = _mentorship()

    message = services.message_send(
        user=seeker, conversation_id=_thread(mentorship).pk, body="y" * MESSAGE_MAX
    )

    assert len(message.body) == MESSAGE_MAX


def test_a_good_attachment_is_stored_under_a_random_name_and_downloaded_safely(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    upload = SimpleUploadedFile("site plan.pdf", MINIMAL_PDF, content_type="application/pdf")

    message = services.message_send(
        user=seeker, conversation_id=conversation.pk, body="The plan", upload=upload
    )
    client.force_login(mentor)
    response = client.get(
        reverse("braingain:conversation_file", args=[conversation.pk, message.pk])
    )

    assert message.attachment_name == "site plan.pdf"
    assert message.attachment_type == "application/pdf"
    assert message.attachment.name.startswith("conversations/")
    assert "site plan" not in message.attachment.name
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="site plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_an_image_is_re_encoded_and_keeps_its_name():
    mentorship, seeker, _mentor = _mentorship()

    message = services.message_send(
        user=seeker,
        conversation_id=_thread(mentorship).pk,
        body="Photo",
        upload=SimpleUploadedFile("roof.png", _png()),
    )

    assert message.attachment_name == "roof.jpg"
    assert message.attachment_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a program, renamed
        ("page.html", b"<html><script>alert(1)</script></html>"),
        (
            "report.pdf",
            MINIMAL_PDF.replace(
                b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"
            ),
        ),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD_BYTES + b"\n%%EOF\n"),
        ("../../config/settings.pdf", MINIMAL_PDF),
        ("..\\..\\evil.pdf", MINIMAL_PDF),
        ("a/b.pdf", MINIMAL_PDF),
        ("x.pdf\x00.html", MINIMAL_PDF),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(name, data):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    Notification.objects.all().delete()
    stored = _stored_files()  # the in-memory storage outlives each test

    with pytest.raises(DomainError) as refused:
        services.message_send(
            user=seeker,
            conversation_id=conversation.pk,
            body="See attached",
            upload=_named(name, data),
        )

    assert list(refused.value.fields) == ["file"]
    assert not Message.objects.exists()
    assert _stored_files() == stored
    assert not Notification.objects.exists()


class _Upload(io.BytesIO):
    """An upload as the service sees it, with the name exactly as sent (Django's own uploaded
    files drop folders from the name; this one keeps what a forged request or an API might)."""

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _named(name: str, data: bytes) -> _Upload:
    return _Upload(name, data)


def test_an_oversized_file_is_refused_by_the_page_before_it_is_read(client):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    client.force_login(seeker)
    stored = _stored_files()

    response = client.post(
        reverse("braingain:conversation", args=[conversation.pk]),
        {"body": "Big", "file": SimpleUploadedFile("big.pdf", b"0" * (MAX_UPLOAD_BYTES + 1))},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Message.objects.exists()
    assert _stored_files() == stored


# --- pages ----------------------------------------------------------------------------------------


def test_posting_from_the_page_without_javascript(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    url = reverse("braingain:conversation", args=[conversation.pk])
    client.force_login(seeker)

    response = client.post(url, {"body": "Hello from the page"})

    assert response.status_code == 302
    assert response["Location"] == f"{url}#latest"
    assert list(Message.objects.values_list("author_id", "body")) == [
        (seeker.pk, "Hello from the page")
    ]


def test_a_cleared_file_box_posts_the_text_alone(client):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    url = reverse("braingain:conversation", args=[conversation.pk])
    client.force_login(seeker)

    response = client.post(url, {"body": "No file after all", "file-clear": "on"})

    assert response.status_code == 302
    assert list(Message.objects.values_list("body", "attachment")) == [("No file after all", "")]


def test_posting_with_htmx_answers_the_thread_part(client):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    client.force_login(seeker)

    response = client.post(
        reverse("braingain:conversation", args=[conversation.pk]),
        {"body": "Hello in place"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="thread">')
    assert "Hello in place" in page
    assert Message.objects.count() == 1


def test_polling_answers_nothing_until_a_new_message(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    first = services.message_send(user=seeker, conversation_id=conversation.pk, body="One")
    url = reverse("braingain:conversation", args=[conversation.pk])
    client.force_login(mentor)

    quiet = client.get(url, {"after": first.pk}, HTTP_HX_REQUEST="true")
    second = services.message_send(user=seeker, conversation_id=conversation.pk, body="Two")
    news = client.get(url, {"after": first.pk}, HTTP_HX_REQUEST="true")

    assert quiet.status_code == 204
    assert news.status_code == 200
    assert f'id="m{second.pk}"' in news.content.decode()
    assert f'id="m{first.pk}"' not in news.content.decode()
    assert f"?after={second.pk}" in news.content.decode()
    assert readers.conversation_unread_count(user=mentor) == 0


def test_the_latest_fifty_with_a_link_to_earlier_ones(client):
    mentorship, seeker, _mentor = _mentorship()
    conversation = _thread(mentorship)
    _bulk_messages(conversation, seeker, 60)
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    url = reverse("braingain:conversation", args=[conversation.pk])
    client.force_login(seeker)

    latest = client.get(url)
    earlier = client.get(url, {"before": ids[10]})

    assert [m.pk for m in latest.context["page"].messages] == ids[10:]
    assert latest.context["page"].earlier == ids[10]
    assert f"?before={ids[10]}" in latest.content.decode()
    assert [m.pk for m in earlier.context["page"].messages] == ids[:10]
    assert earlier.context["page"].earlier is None


def _bulk_messages(conversation: Conversation, authors: Any, n: int) -> None:
    people = authors if isinstance(authors, list) else [authors]
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            author=people[i % len(people)],
            body=f"Message {i}",
            body_html=f"<p>Message {i} with <strong>some</strong> text</p>\n",
        )
        for i in range(n)
    )


def _thread_queries(client: Any, conversation: Conversation) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("braingain:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return len(captured)


def test_the_thread_costs_the_same_queries_for_10_or_200_messages(client):
    small, seeker, mentor = _mentorship()
    large, _seeker, _mentor = _mentorship(seeker)
    _bulk_messages(_thread(small), [seeker, mentor], 10)
    _bulk_messages(_thread(large), [seeker, _mentor], 200)
    client.force_login(seeker)
    _thread_queries(client, _thread(small))  # warm the session and caches alike

    assert _thread_queries(client, _thread(small)) == _thread_queries(client, _thread(large))


def test_the_inbox_costs_the_same_queries_for_1_or_6_conversations(client):
    seeker = engineer()
    first, _s, mentor = _mentorship(seeker)
    _bulk_messages(_thread(first), mentor, 3)
    client.force_login(seeker)
    url = reverse("braingain:conversations")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(5):
        other, _s, someone = _mentorship(seeker)
        _bulk_messages(_thread(other), someone, 4)
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)

    assert len(one) == len(six)
    assert [row.unread for row in response.context["rows"]] == [4, 4, 4, 4, 4, 3]


def test_the_navigation_shows_unread_conversations(client):
    mentorship, seeker, mentor = _mentorship()
    services.message_send(user=seeker, conversation_id=_thread(mentorship).pk, body="Hi")
    client.force_login(mentor)

    page = client.get(reverse("braingain:conversations")).content.decode()

    assert "Messages (1)" in page


# --- reports and staff ---------------------------------------------------------------------------


def test_reporting_a_message_opens_it_to_staff_once():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    message = services.message_send(user=seeker, conversation_id=conversation.pk, body="Rude")

    report = services.message_report(user=mentor, message_id=message.pk, reason="Insulting")
    with pytest.raises(DomainError) as twice:
        services.message_report(user=mentor, message_id=message.pk, reason="Again")

    conversation.refresh_from_db()
    assert twice.value.code == ErrorCode.CONFLICT
    assert MessageReport.objects.count() == 1
    assert conversation.reported_at == report.created_at
    assert AuditLog.objects.filter(action="conversation.report", actor=mentor).count() == 1


@pytest.mark.parametrize(
    ("own", "reason", "code"), [(True, "Mine", "forbidden"), (False, " ", "validation_error")]
)
def test_a_report_needs_a_reason_and_someone_elses_message(own, reason, code):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    message = services.message_send(user=seeker, conversation_id=conversation.pk, body="Hello")

    with pytest.raises(DomainError) as refused:
        services.message_report(
            user=seeker if own else mentor, message_id=message.pk, reason=reason
        )

    conversation.refresh_from_db()
    assert refused.value.code == code
    assert not MessageReport.objects.exists()
    assert conversation.reported_at is None


def test_staff_read_a_reported_thread_audited_and_resolve_it(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    message = services.message_send(
        user=seeker,
        conversation_id=conversation.pk,
        body="Pay me outside",
        upload=SimpleUploadedFile("terms.pdf", MINIMAL_PDF),
    )
    report = services.message_report(user=mentor, message_id=message.pk, reason="Scam")
    reader = login_with_second_factor(client, staff())

    listing = client.get(reverse("braingain:staff_conversations"))
    thread = client.get(reverse("braingain:staff_conversation", args=[conversation.pk]))
    download = client.get(
        reverse("braingain:conversation_file", args=[conversation.pk, message.pk])
    )

    assert [c.pk for c in listing.context["reported"]] == [conversation.pk]
    assert thread.status_code == 200
    assert "Pay me outside" in thread.content.decode()
    assert download.status_code == 200
    assert list(
        AuditLog.objects.filter(actor=reader).order_by("pk").values_list("action", flat=True)
    ) == ["conversation.staff_viewed", "conversation.staff_file"]

    resolved = client.post(
        reverse("braingain:staff_conversation", args=[conversation.pk]),
        {"action": "resolve", "report": report.pk},
    )

    conversation.refresh_from_db()
    assert resolved.status_code == 302
    assert conversation.reported_at is None
    assert MessageReport.objects.get().resolved_by == reader
    assert (
        client.get(reverse("braingain:staff_conversation", args=[conversation.pk])).status_code
        == 404
    )


def test_one_resolved_report_of_two_keeps_the_thread_open_to_staff():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    first = services.message_send(user=seeker, conversation_id=conversation.pk, body="One")
    second = services.message_send(user=seeker, conversation_id=conversation.pk, body="Two")
    report = services.message_report(user=mentor, message_id=first.pk, reason="x")
    services.message_report(user=mentor, message_id=second.pk, reason="y")
    reader = _verified(staff())

    services.report_resolve(user=reader, report_id=report.pk)

    conversation.refresh_from_db()
    assert conversation.reported_at is not None
    with pytest.raises(NotFound):
        services.report_resolve(user=reader, report_id=report.pk)  # resolved already


def test_only_staff_resolve_reports():
    mentorship, seeker, mentor = _mentorship()
    message = services.message_send(
        user=seeker, conversation_id=_thread(mentorship).pk, body="Hello"
    )
    report = services.message_report(user=mentor, message_id=message.pk, reason="x")

    for person in (mentor, seeker, _verified(user_with_role(Role.COUNCIL_ANALYST))):
        with pytest.raises(NotFound):
            services.report_resolve(user=person, report_id=report.pk)

    assert MessageReport.objects.get().resolved_at is None


# --- every URL against every other role ----------------------------------------------------------


def _world() -> dict[str, Any]:
    rep, institution = institution_rep()
    mentorship, _rep, mentor = _mentorship(
        rep, kind="fyp_supervision", institution_id=institution.pk
    )
    conversation = _thread(mentorship)
    message = services.message_send(
        user=rep,
        conversation_id=conversation.pk,
        body="Private plans",
        upload=SimpleUploadedFile("plans.pdf", MINIMAL_PDF),
    )
    return {
        "rep": rep,
        "mentor": mentor,
        "mentorship": mentorship,
        "conversation": conversation,
        "message": message,
    }


def _outsiders() -> dict[str, User]:
    return {
        "engineer": engineer(),
        "contributor": contributor(),
        "institution_rep": institution_rep()[0],
        "staff": staff(),
        "analyst": user_with_role(Role.COUNCIL_ANALYST),
    }


def _member_urls(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    c, m = w["conversation"].pk, w["message"].pk
    return [
        ("get", reverse("braingain:conversation", args=[c]), None),
        ("post", reverse("braingain:conversation", args=[c]), {"body": "intrusion"}),
        ("get", reverse("braingain:conversation_file", args=[c, m]), None),
        ("get", reverse("braingain:conversation_report", args=[c, m]), None),
        ("post", reverse("braingain:conversation_report", args=[c, m]), {"reason": "x"}),
        (
            "get",
            reverse("braingain:conversation_for", args=["mentorship", w["mentorship"].pk]),
            None,
        ),
        (
            "get",
            reverse("braingain:conversation_for", args=["request", w["mentorship"].request_id]),
            None,
        ),
    ]


def _state(w: dict[str, Any]) -> tuple[Any, ...]:
    conversation = Conversation.objects.get(pk=w["conversation"].pk)
    return (
        Message.objects.count(),
        MessageReport.objects.count(),
        ConversationMember.objects.count(),
        conversation.reported_at,
        conversation.last_message_at,
        tuple(ConversationMember.objects.order_by("pk").values_list("last_read_at", flat=True)),
        AuditLog.objects.filter(action__startswith="conversation.staff").count(),
    )


def test_every_conversation_url_is_closed_to_everyone_else(client):
    w = _world()
    before = _state(w)
    staff_thread = reverse("braingain:staff_conversation", args=[w["conversation"].pk])
    staff_list = reverse("braingain:staff_conversations")
    for role, person in _outsiders().items():
        login_with_second_factor(client, person)
        for method, url, data in _member_urls(w):
            response = getattr(client, method)(url, data or {})
            assert response.status_code == 404, (role, method, url)
        inbox = client.get(reverse("braingain:conversations"))
        assert inbox.status_code == 200
        assert "Private plans" not in inbox.content.decode()
        assert w["conversation"].subject not in inbox.content.decode()
        is_staff = role == "staff"
        assert client.get(staff_thread).status_code == (404 if is_staff else 403), role
        resolving = client.post(staff_thread, {"action": "resolve", "report": "1"})
        assert resolving.status_code == (404 if is_staff else 403), role
        listing = client.get(staff_list)
        assert listing.status_code == (200 if is_staff else 403), role
        if is_staff:
            assert list(listing.context["reported"]) == []
        client.logout()
    for method, url, data in [
        *_member_urls(w),
        ("get", reverse("braingain:conversations"), None),
        ("get", staff_thread, None),
        ("get", staff_list, None),
    ]:
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert _state(w) == before


def test_members_reach_every_member_url(client):
    w = _world()
    client.force_login(w["mentor"])
    for method, url, data in _member_urls(w):
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302), (method, url)
    assert MessageReport.objects.filter(reporter=w["mentor"]).count() == 1
    assert Message.objects.filter(author=w["mentor"], body="intrusion").count() == 1


def test_a_report_that_went_with_its_reporters_account_opens_nothing_to_staff(client):
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    message = services.message_send(user=seeker, conversation_id=conversation.pk, body="Rude")
    services.message_report(user=mentor, message_id=message.pk, reason="Abuse")
    MessageReport.objects.filter(reporter=mentor).delete()  # gone, the flag left behind
    reader = login_with_second_factor(client, staff())

    thread = client.get(reverse("braingain:staff_conversation", args=[conversation.pk]))
    listing = client.get(reverse("braingain:staff_conversations"))
    download = client.get(
        reverse("braingain:conversation_file", args=[conversation.pk, message.pk])
    )

    assert (thread.status_code, download.status_code) == (404, 404)
    assert list(listing.context["reported"]) == []
    assert not AuditLog.objects.filter(actor=reader).exists()


def test_a_reporter_who_deletes_their_account_makes_the_thread_private_again():
    mentorship, seeker, mentor = _mentorship()
    conversation = _thread(mentorship)
    message = services.message_send(user=seeker, conversation_id=conversation.pk, body="Rude")
    services.message_report(user=mentor, message_id=message.pk, reason="Abuse")

    user_delete(user=mentor, password=PASSWORD)

    conversation.refresh_from_db()
    assert conversation.reported_at is None
    assert not MessageReport.objects.exists()
