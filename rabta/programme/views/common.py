"""What the programme's pages share."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import lazy


def said(choose: Callable[[], str]) -> str:
    """A success message chosen by what the service answered: it is read only once the
    action has run (a message is turned into text when the response is stored)."""
    return lazy(choose, str)()


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)
