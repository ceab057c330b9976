"""Outage recovery, set up by staff per live session: the recording, lighter alternatives for a
weak connection (audio only, slides), and the short check that completes an excused absence.

A session without check questions offers no check: its excuses go straight to staff review.
The check's result is kept on each excuse when it is taken, so changing the questions later
never undoes a pass."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.services import audit_record
from rabta.programme.models import LiveSession

QUESTIONS_MAX = 10
OPTIONS_MIN, OPTIONS_MAX = 2, 6
QUESTION_MAX_CHARS = 300
OPTION_MAX_CHARS = 200
QUESTIONS_MAX_BYTES = 20_000  # a pasted payload is refused before it is read
LINK_FIELDS = ("recording_url", "audio_url", "slides_url")
PASS_MARK_MIN, PASS_MARK_MAX = 1, 100


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={field: [message]})


def _text(value: Any, *, limit: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid("questions", _("%(what)s needs text.") % {"what": what})
    text = value.strip()
    if len(text) > limit:
        raise _invalid(
            "questions",
            _("%(what)s is longer than %(n)d characters.") % {"what": what, "n": limit},
        )
    return text


def _question_clean(number: int, raw: Any) -> dict[str, Any]:
    where = _("Question %(n)d") % {"n": number}
    if not isinstance(raw, dict) or set(raw) != {"question", "options", "answer"}:
        raise _invalid(
            "questions",
            _("%(what)s must have a question, its options and the right answer.") % {"what": where},
        )
    question = _text(raw["question"], limit=QUESTION_MAX_CHARS, what=where)
    options = raw["options"]
    if not isinstance(options, list) or not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise _invalid(
            "questions",
            _("%(what)s needs %(min)d to %(max)d options.")
            % {"what": where, "min": OPTIONS_MIN, "max": OPTIONS_MAX},
        )
    texts = [
        _text(
            option,
            limit=OPTION_MAX_CHARS,
            what=_("%(what)s, option %(n)d") % {"what": where, "n": index},
        )
        for index, option in enumerate(options, start=1)
    ]
    if len({text.casefold() for text in texts}) != len(texts):
        raise _invalid("questions", _("%(what)s has the same option twice.") % {"what": where})
    answer = raw["answer"]
    # bool is an int to Python; True is not an option number
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(texts):
        raise _invalid("questions", _("%(what)s: choose which option is right.") % {"what": where})
    return {"question": question, "options": texts, "answer": answer}


def check_questions_clean(raw: Any) -> list[dict[str, Any]]:
    """The check's questions, validated and trimmed: an empty list (no check) or 1 to 10
    questions of 2 to 6 distinct options, each with the index of its right option.  ``raw``
    is the list itself or its JSON text.  Anything else is refused whole."""
    if isinstance(raw, str | bytes):
        if len(raw) > QUESTIONS_MAX_BYTES:
            raise _invalid("questions", _("The questions are too long."))
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise _invalid("questions", _("The questions could not be read.")) from exc
    if not isinstance(raw, list):
        raise _invalid("questions", _("The questions could not be read."))
    if len(raw) > QUESTIONS_MAX:
        raise _invalid(
            "questions", _("A check has at most %(n)d questions.") % {"n": QUESTIONS_MAX}
        )
    return [_question_clean(number, item) for number, item in enumerate(raw, start=1)]


def _link_clean(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    limit = getattr(LiveSession._meta.get_field(name), "max_length", None) or 200
    message = _("Enter an https:// link of at most %(n)d characters.") % {"n": limit}
    if not isinstance(value, str) or len(value.strip()) > limit:
        raise _invalid(name, message)
    try:
        URLValidator(schemes=["https"])(value.strip())
    except ValidationError as exc:
        raise _invalid(name, message) from exc
    return value.strip()


def _pass_mark_clean(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid("pass_mark", _("Enter the pass mark as a whole percentage."))
    if not PASS_MARK_MIN <= value <= PASS_MARK_MAX:
        raise _invalid(
            "pass_mark",
            _("The pass mark is between %(min)d%% and %(max)d%%.")
            % {"min": PASS_MARK_MIN, "max": PASS_MARK_MAX},
        )
    return value


def session_recovery_set(
    *,
    actor: User,
    session_id: int,
    recording_url: str,
    audio_url: str,
    slides_url: str,
    pass_mark: int,
    questions: Any,
) -> LiveSession:
    """Set a session's recording, its low-bandwidth alternatives and its check; everything is
    validated before anything is written, and each change leaves an audit row naming what
    changed.  Excuses already checked keep their result."""
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    values: dict[str, Any] = {
        "recording_url": _link_clean("recording_url", recording_url),
        "audio_url": _link_clean("audio_url", audio_url),
        "slides_url": _link_clean("slides_url", slides_url),
        "pass_mark": _pass_mark_clean(pass_mark),
        "check_questions": check_questions_clean(questions),
    }
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise NotFound()
        changed = [name for name, value in values.items() if getattr(session, name) != value]
        if not changed:
            return session
        for name in changed:
            setattr(session, name, values[name])
        session.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="programme.session_recovery_set",
            target=session,
            fields=changed,
            questions=len(values["check_questions"]),
            pass_mark=values["pass_mark"],
        )
    return session
