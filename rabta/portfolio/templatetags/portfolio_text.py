"""Markdown for case studies and overviews (see rabta.core.markdown)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from rabta.core.markdown import markdown_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    return mark_safe(markdown_html(source))  # noqa: S308 - cleaned by nh3 in markdown_html
