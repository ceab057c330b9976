"""Markdown that people write (case studies, forum posts, citations, panel comments): rendered
without raw HTML, then cleaned by nh3 to a short list of tags, so whatever a person types stays
text (no scripts, no handlers, no ``javascript:`` links).

``@handle`` mentions become links when the caller passes the handles that exist; mentions inside
code or inside a link stay text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "blockquote",
    "a",
    "h3",
    "h4",
}

MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9_-]{1,29})")
URL = re.compile(r"(?i)\b(?:https?://|www\.)")


def mention_candidates(source: str) -> set[str]:
    """Lower-cased handles that look mentioned (the caller checks which exist)."""
    return {match.group(1).lower() for match in MENTION.finditer(source or "")}


def link_count(source: str) -> int:
    """Web addresses in the text, clickable or not (what the trust levels limit)."""
    return len(URL.findall(source or ""))


def _mentions_rule(state: StateCore) -> None:
    known: Mapping[str, str] = state.env.get("mentions") or {}
    if not known:
        return
    found: set[str] = state.env.setdefault("mentioned", set())
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _linked_children(block.children, known, found)


def _linked_children(
    children: list[Token], known: Mapping[str, str], found: set[str]
) -> list[Token]:
    """The inline tokens with each known @handle in plain text (not inside a link) made a
    link to the person."""
    out: list[Token] = []
    depth = 0
    for token in children:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        if token.type != "text" or depth:
            out.append(token)
        else:
            out += _mentions_linked(token, known, found)
    return out


def _mentions_linked(token: Token, known: Mapping[str, str], found: set[str]) -> list[Token]:
    out: list[Token] = []
    position = 0
    for match in MENTION.finditer(token.content):
        key = match.group(1).lower()
        if key not in known:
            continue
        if match.start() > position:
            out.append(_text(token.content[position : match.start()]))
        out += _mention_link(known[key], match.group(0))
        found.add(key)
        position = match.end()
    if position == 0:
        return [token]
    if position < len(token.content):
        out.append(_text(token.content[position:]))
    return out


def _mention_link(href: str, label: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", href)
    opening.attrSet("class", "mention")
    return [opening, _text(label), Token("link_close", "a", -1)]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@cache
def _renderer() -> MarkdownIt:
    # "html": False makes raw HTML in the source come out as escaped text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
    md.core.ruler.push("mentions", _mentions_rule)
    return md


def markdown_render(
    source: str, *, mentions: Mapping[str, str] | None = None
) -> tuple[str, set[str]]:
    """Cleaned HTML and the handles that were linked.  ``mentions`` maps a lower-cased handle to
    the address of that person's page."""
    env: dict[str, object] = {"mentions": dict(mentions or {})}
    rendered = _renderer().render(source or "", env)
    html = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        allowed_classes={"a": {"mention"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    mentioned = env.get("mentioned")
    return html, set(mentioned) if isinstance(mentioned, set) else set()


def markdown_html(source: str) -> str:
    return markdown_render(source)[0]
