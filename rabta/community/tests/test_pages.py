"""Every community object page against every role, the public Hall of Fame, forms through the
pages, and the thread page's cost: its query count does not grow with the replies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    institution_with_admin,
    login_with_second_factor,
    user_with_role,
)
from rabta.community import services
from rabta.community.models import Post, Thread
from rabta.community.tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    Role.ENGINEER,
    Role.CONTRIBUTOR,
    Role.INSTITUTION_REP,
    Role.PROGRAMME_STAFF,
    Role.COUNCIL_ANALYST,
    Role.MODERATOR,
    Role.ADMINISTRATOR,
]


def _world():
    place = f.chapter()
    member = f.trusted(f.contributor())  # London: joined by location
    event = f.event(user_with_role(Role.PROGRAMME_STAFF), place)
    thread = f.thread(member, category=place.category)
    reply = services.reply_create(user=member, thread=thread, body="Members-only words")
    staff = user_with_role(Role.PROGRAMME_STAFF)
    call = f.panel_call(staff, seats=1)
    application = services.call_apply(
        user=member, call=call, statement="Thirty years of grid planning and regulation work."
    )
    services.panel_select(actor=staff, call=call, application_ids=[application.pk])
    document = services.document_add(
        user=member, call_id=call.pk, title="Draft", name="draft.txt", data=b"draft"
    )
    handle = services.member_ensure(user=member).handle
    nomination = services.nomination_submit(
        user=f.engineer(), handle=handle, citation="Mentored forty engineers in grid planning."
    )
    honour = services.nomination_decide(reviewer=staff, nomination=nomination, accept=True, note="")
    urls = {
        "event": reverse("community:event", args=[event.pk]),
        "event_ics": reverse("community:event_ics", args=[event.pk]),
        "category": reverse("community:category", args=[place.category.slug]),
        "thread": reverse("community:thread", args=[thread.pk]),
        "post_edit": reverse("community:post_edit", args=[reply.pk]),
        "workspace": reverse("community:workspace", args=[call.pk]),
        "document": reverse("community:document", args=[document.pk]),
        "honour_consent": reverse("community:honour_consent", args=[honour.pk]),
        "moderation": reverse("community:moderation"),
        "review": reverse("community:nominations_review"),
    }
    return member, urls


# who besides the member may open each page
ALLOWED = {
    "event": {Role.PROGRAMME_STAFF, Role.ADMINISTRATOR},
    "event_ics": {Role.PROGRAMME_STAFF, Role.ADMINISTRATOR},
    "category": {Role.MODERATOR, Role.ADMINISTRATOR},
    "thread": {Role.MODERATOR, Role.ADMINISTRATOR},
    "post_edit": set(),
    "workspace": {Role.PROGRAMME_STAFF, Role.ADMINISTRATOR},
    "document": {Role.PROGRAMME_STAFF, Role.ADMINISTRATOR},
    "honour_consent": set(),
    "moderation": {Role.MODERATOR, Role.ADMINISTRATOR},
    "review": {Role.PROGRAMME_STAFF, Role.ADMINISTRATOR},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_object_page_against_every_role(client, role):
    member, urls = _world()
    if role != "anonymous":
        person = user_with_role(role)
        if role == Role.INSTITUTION_REP:
            institution_with_admin(person)
        login_with_second_factor(client, person)
    for name, url in urls.items():
        status = client.get(url).status_code
        if role == "anonymous":
            assert status == 302, name
        elif role in ALLOWED[name]:
            assert status == 200, (name, role)
        else:
            assert status == 404, (name, role)
    client.force_login(member)
    for name, url in urls.items():
        expected = 404 if name in ("moderation", "review") else 200
        assert client.get(url).status_code == expected, name


def test_the_hall_of_fame_is_public_and_nominating_needs_an_account(client):
    assert client.get(reverse("community:hall_of_fame")).status_code == 200
    assert client.get(reverse("community:nominate")).status_code == 302
    assert client.get(reverse("community:home")).status_code == 302
    assert client.get(reverse("community:honour", args=["no-such-honour"])).status_code == 404


def test_a_discussion_posted_twice_from_the_page_is_one(client):
    author = f.trusted(f.engineer())
    client.force_login(author)
    url = reverse("community:category", args=["ai"])
    form = {
        "action": "thread",
        "title": "Edge AI on a budget",
        "body": "Which board?",
        "nonce": "same-form",
    }
    first = client.post(url, form)
    second = client.post(url, form)  # the connection dropped and the browser sent it again
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Thread.objects.filter(title="Edge AI on a budget").count() == 1


def test_a_refused_post_keeps_what_was_typed(client):
    newcomer = f.contributor()
    thread = f.thread(f.contributor())
    client.force_login(newcomer)
    body = "Look at https://a.example and https://b.example for the datasheets."
    response = client.post(
        reverse("community:thread", args=[thread.pk]), {"action": "reply", "body": body}
    )
    assert response.status_code == 200
    assert "at most 1 web address" in response.content.decode()
    assert body in response.content.decode()
    assert Post.objects.filter(author=newcomer).count() == 0


def test_hostile_query_strings_are_harmless(client):
    thread = f.thread(f.contributor())
    client.force_login(f.engineer())
    for query in ("?page=-1", "?page=abc", "?page=99999", "?page=1%00"):
        assert client.get(reverse("community:thread", args=[thread.pk]) + query).status_code == 200
    response = client.get(reverse("community:search") + "?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/community/members/..%2F..%2Fadmin/").status_code == 404
    assert client.get("/community/members/%3Cscript%3E/").status_code == 404
    assert (
        client.post(reverse("community:post", args=[10**9]), {"action": "flag"}).status_code == 404
    )


def _thread_with_replies(n: int) -> Thread:
    thread = f.thread(f.contributor())
    people = [f.trusted(f.contributor()) for _n in range(10)]
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                number=i + 2,
                author=people[i % 10],
                body=f"Reply {i}",
                body_html=f"<p>Reply {i}</p>",
                nonce=f"bulk-{i}",
                created_at=now,
            )
            for i in range(n)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(replies_count=n)
    return thread


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_thread_page_costs_the_same_queries_for_20_or_200_replies(client):
    small = _thread_with_replies(20)
    large = _thread_with_replies(200)
    client.force_login(f.moderator())  # the most expensive view: every action form shown
    url = reverse("community:thread", args=[large.pk])
    small_count = _queries(client, reverse("community:thread", args=[small.pk]))
    large_first = _queries(client, url)
    large_last = _queries(client, url + "?page=5")
    assert large_first == small_count
    assert large_last == small_count
    assert 5 <= large_first <= 16
