"""The XSS and abuse corpus against every Markdown field: forum threads, replies and edits,
chapter and event descriptions, nominations and citations, calls, applications and panel
comments.  Whatever goes in comes out as text or as a short list of harmless tags."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from rabta.community import services
from rabta.community.models import (
    Call,
    Chapter,
    ChapterEvent,
    Honour,
    Nomination,
    PanelApplication,
    PanelComment,
    Post,
)
from rabta.community.tests import factories as f
from rabta.core.markdown import (
    ALLOWED_TAGS,
    link_count,
    markdown_render,
    mention_candidates,
)

pytestmark = pytest.mark.django_db

CORPUS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](https://example.org/x.png)",
    '<iframe src="https://example.org"></iframe>',
    "<svg onload=alert(1)>",
    '<div style="position:fixed;top:0">cover</div>',
    "<details open ontoggle=alert(1)>",
    '[x](https://example.org "title" onmouseover=alert(1))',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<form action="https://evil.example"><input name=q></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\u202eevil\u202c right-to-left override",
    "@" + "a" * 400,
    "*" * 5000,
]


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_clean(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert name in ("href", "rel", "class"), html
            if name == "href":
                assert (value or "").startswith(("https://", "http://", "/community/members/")), (
                    html
                )
            if name == "class":
                assert value == "mention", html


@pytest.mark.parametrize("source", CORPUS)
def test_renderer_leaves_nothing_executable(source):
    html, _mentioned = markdown_render(f"Before {source} after")
    assert_clean(html)


def test_safe_markdown_survives_and_links_get_rel():
    html, _m = markdown_render("**bold** and [PEC](https://pec.org.pk)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://pec.org.pk" rel="nofollow noopener noreferrer ugc">PEC</a>' in html
    assert "<li>one</li>" in html


def test_mentions_link_known_handles_only_and_not_inside_code_or_links():
    known = {"imran-q": "/community/members/imran-q/"}
    html, mentioned = markdown_render(
        "Ask @imran-q or @nobody. `@imran-q` [@imran-q](https://x.org) email a@imran-q",
        mentions=known,
    )
    assert mentioned == {"imran-q"}
    assert html.count('class="mention"') == 1
    assert "<code>@imran-q</code>" in html
    assert "@nobody" in html
    assert "/members/nobody" not in html


def test_counts_used_by_trust_levels():
    assert link_count("see https://a.org and www.b.org and [c](http://c.org)") == 3
    assert mention_candidates("hi @Ayesha-S and @bo, mail x@y.org") == {"ayesha-s", "bo"}


def _every_markdown_field(source: str) -> list[str]:
    """Run the source through every service that stores Markdown; return the stored HTML."""
    staff = f.staff()
    author = f.trusted(f.contributor())
    thread = f.thread(author, title="A hostile title <script>x</script>", body=source)
    reply = services.reply_create(user=author, thread=thread, body=source)
    edited = services.post_edit(user=author, post=reply, body=source + " edited")
    chapter = services.chapter_open(actor=staff, country="AE", city="Dubai", description=source)
    event = f.event(staff, chapter, description=source)
    nominee = f.contributor(city="Leeds")
    services.member_ensure(user=nominee)
    nomination = services.nomination_submit(
        user=author, handle=nominee.community_member.handle, citation=source + " " + "x" * 40
    )
    honour = services.nomination_decide(
        reviewer=staff, nomination=nomination, accept=True, note="", citation=source + " cited"
    )
    call = f.panel_call(staff, body=source, seats=3)
    application = services.call_apply(user=nominee, call=call, statement=source + " " + "y" * 40)
    services.panel_select(actor=staff, call=call, application_ids=[application.pk])
    comment = services.comment_add(user=nominee, call_id=call.pk, body=source)
    assert honour is not None
    return [
        Post.objects.get(pk=thread.posts.first().pk).body_html,
        Post.objects.get(pk=edited.pk).body_html,
        Chapter.objects.get(pk=chapter.pk).description_html,
        ChapterEvent.objects.get(pk=event.pk).description_html,
        Nomination.objects.get(pk=nomination.pk).citation_html,
        Honour.objects.get(pk=honour.pk).citation_html,
        Call.objects.get(pk=call.pk).body_html,
        PanelApplication.objects.get(pk=application.pk).statement_html,
        PanelComment.objects.get(pk=comment.pk).body_html,
    ]


@pytest.mark.parametrize("source", CORPUS[:8] + CORPUS[12:20])
def test_every_markdown_field_stores_clean_html(source):
    for html in _every_markdown_field(source):
        assert_clean(html)


def test_hostile_text_on_pages_is_escaped(client):
    author = f.trusted(f.contributor())
    thread = f.thread(author, title='Title <script>alert("t")</script>', body=CORPUS[1])
    client.force_login(author)
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert '<script>alert("t")</script>' not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page
