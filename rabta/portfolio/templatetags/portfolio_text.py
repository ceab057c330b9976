"""Markdown for case studies and overviews: rendered without raw HTML, then cleaned by nh3 to a
short list of tags, so whatever a person types stays text (no scripts, no handlers, no
``javascript:`` links)."""

from __future__ import annotations

from functools import cache

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

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


@cache
def _renderer() -> MarkdownIt:
    # "html": False makes raw HTML in the source come out as escaped text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def markdown_html(source: str) -> str:
    rendered = _renderer().render(source or "")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer ugc",
    )


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    return mark_safe(markdown_html(source))  # noqa: S308 - cleaned by nh3 above
