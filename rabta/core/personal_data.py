"""A person's personal data, app by app: what the download holds, and what deleting the account
does to each row that points at them.

Each app registers one section (``section_register``, from its ``personal_data`` module, imported
by its ``AppConfig.ready``): an exporter that returns the app's JSON, the person's files (uploads,
and the PDFs the app makes on demand, made afresh), and a rule for every foreign key to the user
model in its models: delete the rows, anonymise them (kept for the other people they matter to,
pointing at no one, or at the one "deleted account" placeholder where the column may not be
empty), or keep them with a written reason.  A model that is no one's personal data is excluded
with a reason (``exclusion_register``).  ``tests/test_personal_data_coverage.py`` fails for a
foreign key to the user that no rule covers, so a new model cannot slip out of both the download
and the deletion.

Core imports no app: it sees the apps only through what they register here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import textwrap
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise

__all__ = [
    "Action",
    "Rule",
    "Section",
    "anonymise",
    "archive_build",
    "archive_path",
    "delete",
    "exclusion_register",
    "exclusions",
    "keep",
    "personal_data_collect",
    "personal_data_erase",
    "record",
    "rule_for",
    "section_register",
    "sections",
    "user_foreign_keys",
]


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class Rule:
    """What deleting the account does to the rows whose ``field`` is the person."""

    action: Action
    reason: str


def delete(reason: str = "") -> Rule:
    return Rule(Action.DELETE, reason)


def anonymise(reason: str) -> Rule:
    if not reason.strip():
        raise ValueError("say why the rows are kept for others")
    return Rule(Action.ANONYMISE, reason)


def keep(reason: str) -> Rule:
    if not reason.strip():
        raise ValueError("a row kept after deletion needs a written reason")
    return Rule(Action.KEEP, reason)


Files = Iterable[tuple[str, bytes]]


@dataclass(frozen=True)
class Section:
    app: str  # the app label: "<app>.json" and "files/<app>/" in the archive
    title: str  # a line of the README: what the section holds
    export: Callable[[Any], dict[str, Any] | list[Any]]
    # "app_label.Model.field" -> rule, in the order deletion applies them
    rules: Mapping[str, Rule]
    files: Callable[[Any], Files] | None = None
    # runs before the rules: work the services must do first (give back a place, end a match,
    # decide which rows are kept for the other side)
    before_erase: Callable[[Any, Any], None] | None = None
    # runs after every section's rules (the events the others' hooks wrote are unlinked here)
    after_erase: Callable[[Any, Any], None] | None = None
    position: int = 100  # the order of sections in the archive and in deletion


_SECTIONS: dict[str, Section] = {}
_EXCLUDED: dict[str, str] = {}


def section_register(
    *,
    app: str,
    title: str,
    export: Callable[[Any], dict[str, Any] | list[Any]],
    rules: Mapping[str, Rule],
    files: Callable[[Any], Files] | None = None,
    before_erase: Callable[[Any, Any], None] | None = None,
    after_erase: Callable[[Any, Any], None] | None = None,
    position: int = 100,
) -> Section:
    """Declare an app's personal data (once; a second call replaces the first, as a reloaded
    module would)."""
    for key in rules:
        if key.count(".") != 2:
            raise ValueError(f"a rule is keyed 'app_label.Model.field', not {key!r}")
    section = Section(app, title, export, dict(rules), files, before_erase, after_erase, position)
    _SECTIONS[app] = section
    return section


def exclusion_register(model: str, reason: str) -> None:
    """A model pointing at the user that holds no personal data of its own (or whose rows are
    covered through another model), with why."""
    if not reason.strip():
        raise ValueError("an excluded model needs a written reason")
    _EXCLUDED[model] = reason


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.position, s.app))


def exclusions() -> dict[str, str]:
    return dict(_EXCLUDED)


def rule_for(key: str) -> Rule | None:
    for section in _SECTIONS.values():
        if key in section.rules:
            return section.rules[key]
    return None


def user_foreign_keys(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own columns (foreign key, one-to-one, many-to-many) that point straight at
    the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    # local fields include those of abstract parents; a concrete parent's are its own model's
    own = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [column for column in own if column.is_relation and column.related_model is user_model]


# --- the download ----------------------------------------------------------------------------


def record(
    instance: models.Model, *, exclude: Iterable[str] = (), only: Iterable[str] = ()
) -> dict[str, Any]:
    """A row as a plain dict: its own columns (a foreign key as ``<name>_id``), times left for
    the archive's encoder to write in the reader's zone."""
    left_out = set(exclude)
    wanted = list(only)
    row: dict[str, Any] = {}
    for column in instance._meta.concrete_fields:
        if (wanted and column.name not in wanted) or column.name in left_out:
            continue
        row[column.attname] = getattr(instance, column.attname)
    return row


def personal_data_collect(user: Any) -> dict[str, Any]:
    """Every section's JSON, keyed by app (the API's ``/me/export`` answers with this)."""
    return {section.app: section.export(user) for section in sections()}


class _Encoder(json.JSONEncoder):
    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            aware = o if timezone.is_aware(o) else o.replace(tzinfo=dt.UTC)
            return aware.astimezone(self.zone).isoformat()
        if isinstance(o, dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, Decimal | UUID | Promise):
            return str(o)
        if isinstance(o, FieldFile):
            return o.name or ""
        if isinstance(o, set | frozenset):
            return sorted(o)
        return str(o)  # a country, a choice: what the page would show


def json_bytes(data: Any, *, zone: ZoneInfo) -> bytes:
    """Pretty UTF-8 JSON; times as ISO 8601 with the offset of ``zone`` (the reader's)."""
    text = json.dumps(data, cls=_Encoder, zone=zone, indent=2, ensure_ascii=False, sort_keys=False)
    return (text + "\n").encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name that stays where it is put: each part reduced to letters, digits, dot, dash
    and underscore, no part that is empty or starts with a dot, no absolute path."""
    parts = []
    for part in re.split(r"[\\/]+", name):
        cleaned = _UNSAFE.sub("_", part).strip("._")[:100]
        if cleaned:
            parts.append(cleaned)
    return "/".join(parts[-3:]) or "file"


def archive_path(app: str, name: str) -> str:
    """Where a section's file lies in the archive (what its JSON can point at)."""
    return f"files/{app}/{safe_name(name)}"


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or "/" in ext:
        stem, ext = name, ""
    number = 2
    while True:
        candidate = f"{stem}-{number}.{ext}" if ext else f"{stem}-{number}"
        if candidate not in taken:
            return candidate
        number += 1


README_HEAD = """Your data from Rabta
====================

Made on {made} for {who}.
Times are written in ISO 8601 with their offset from UTC, in your own time zone ({zone}).

Each part of Rabta that holds something about you has a file <part>.json here, and the files
that belong to you (your uploads, and documents Rabta makes for you, made afresh) are under
files/<part>/.

"""


@dataclass
class _Archive:
    buffer: io.BytesIO = field(default_factory=io.BytesIO)
    names: set[str] = field(default_factory=set)
    listing: list[str] = field(default_factory=list)

    def add(self, archive: zipfile.ZipFile, name: str, content: bytes) -> str:
        name = _unique(name, self.names)
        self.names.add(name)
        archive.writestr(name, content)
        return name


def _section_files(section: Section, user: Any) -> Iterator[tuple[str, bytes]]:
    if section.files is None:
        return
    yield from section.files(user)


def archive_build(user: Any, *, progress: Callable[[], None] | None = None) -> bytes:
    """One zip archive: ``<app>.json`` for each section, the person's files under
    ``files/<app>/``, and a README.txt that lists what is there."""
    zone = getattr(user, "zone", ZoneInfo("UTC"))
    built = _Archive()
    lines: list[str] = []
    with zipfile.ZipFile(built.buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections():
            data = section.export(user)
            json_name = built.add(archive, f"{section.app}.json", json_bytes(data, zone=zone))
            title = textwrap.indent(textwrap.fill(section.title, 92), "    ")
            lines.append(f"{json_name}\n{title}")
            for name, content in _section_files(section, user):
                stored = built.add(archive, archive_path(section.app, name), content)
                lines.append(f"    {stored} ({len(content):,} bytes)")
            lines.append("")
            if progress is not None:
                progress()
        made = timezone.now().astimezone(zone).isoformat(timespec="seconds")
        head = README_HEAD.format(made=made, who=getattr(user, "email", ""), zone=zone.key)
        built.add(archive, "README.txt", (head + "\n".join(lines)).encode("utf-8"))
    return built.buffer.getvalue()


# --- deletion --------------------------------------------------------------------------------


def _apply(key: str, rule: Rule, user: Any, placeholder: Any) -> int:
    label, field_name = key.rsplit(".", 1)
    model = apps.get_model(label)
    column = model._meta.get_field(field_name)
    rows = model._default_manager.filter(**{field_name: user})
    if rule.action == Action.DELETE:
        return rows.delete()[0]
    if rule.action == Action.ANONYMISE:
        if column.many_to_many:
            count = 0
            for instance in rows:
                getattr(instance, field_name).remove(user)
                count += 1
            return count
        if getattr(column, "null", False):
            return rows.update(**{field_name: None})
        return rows.update(**{field_name: placeholder})
    return 0  # kept: the column's own on_delete clears the link when the user row goes


def personal_data_erase(user: Any, *, placeholder: Any) -> dict[str, int]:
    """Apply every section's rules to the person's rows (inside the caller's transaction, just
    before the user row is deleted).  Returns the rows touched per rule."""
    done: dict[str, int] = {}
    for section in sections():
        if section.before_erase is not None:
            section.before_erase(user, placeholder)
    for section in sections():
        for key, rule in section.rules.items():
            done[key] = _apply(key, rule, user, placeholder)
    for section in sections():
        if section.after_erase is not None:
            section.after_erase(user, placeholder)
    return done


# --- core's own models -----------------------------------------------------------------------


def _core_export(user: Any) -> dict[str, Any]:
    from rabta.core.jobs import job_label
    from rabta.core.models import AuditLog, Email, Event, Job, NoticePreference, Notification

    label = user._meta.label_lower
    events = Event.objects.filter(
        models.Q(actor_id=user.pk) | models.Q(subject_type=label, subject_id=user.pk)
    )
    audit = AuditLog.objects.filter(
        models.Q(actor=user) | models.Q(target_type=label, target_id=str(user.pk))
    )
    return {
        "notice_preferences": dict(
            NoticePreference.objects.filter(user=user)
            .order_by("kind")
            .values_list("kind", "delivery")
        ),
        "notifications": [
            record(n, only=("kind", "title", "body", "url", "created_at", "read_at", "delivery"))
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "emails": [
            {
                **record(
                    e,
                    only=("kind", "subject", "text", "language", "state", "created_at", "sent_at"),
                ),
                "attachments": [a.get("name", "") for a in e.attachments or []],
            }
            for e in Email.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "jobs_started": [
            {
                "job": str(job_label(j.name)),
                "state": j.state,
                "message": j.message,
                "created_at": j.created_at,
                "finished_at": j.finished_at,
            }
            for j in Job.objects.filter(started_by=user).order_by("created_at", "pk")
        ],
        # what the dashboards count: the dimensions copied at the time, never more
        "events": [
            record(e, exclude=("id", "actor_id", "subject_id")) for e in events.order_by("at", "pk")
        ],
        "audit_log": [
            {
                "at": a.at,
                "action": a.action,
                "by": "you" if a.actor_id == user.pk else ("staff" if a.actor_id else "system"),
                "about": f"{a.target_type}:{a.target_id}" if a.target_type else "",
            }
            for a in audit.order_by("at", "pk")
        ],
    }


def _core_before_erase(user: Any, placeholder: Any) -> None:
    """The files of the jobs the person started (their exports) go with the jobs."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    from rabta.core.models import Job

    stored = list(
        Job.objects.filter(started_by=user)
        .exclude(result_file="")
        .values_list("result_file", flat=True)
    )

    def remove() -> None:  # once the deletion is committed: a rollback keeps the files
        for name in stored:
            default_storage.delete(name)

    transaction.on_commit(remove)


def _core_after_erase(user: Any, placeholder: Any) -> None:
    """Events keep their counts for the dashboards but lose the link to the person (those the
    other sections' hooks just wrote, as they ended matches and gave back seats, too)."""
    from rabta.core.models import Event

    Event.objects.filter(actor_id=user.pk).update(actor_id=None)
    Event.objects.filter(subject_type=user._meta.label_lower, subject_id=user.pk).update(
        subject_id=None
    )


def core_section_register() -> None:
    section_register(
        app="core",
        title="Your notices (inbox), the emails Rabta sent you, your notice choices, the "
        "background jobs you started, the events the dashboards count about you, and the "
        "audit log of what you did and what was done to your account.",
        export=_core_export,
        before_erase=_core_before_erase,
        after_erase=_core_after_erase,
        position=1,
        rules={
            "core.Notification.user": delete(),
            "core.Email.user": delete(),
            "core.NoticePreference.user": delete(),
            "core.Job.started_by": delete(
                "Jobs the person started hold their arguments and files (an export is "
                "personal data); staff runs are a log kept 90 days, the audit log keeps the rest."
            ),
            "core.AuditLog.actor": keep(
                "The audit log is append-only: it records privileged actions for "
                "accountability. The link to the actor is cleared by the database when the "
                "account goes; the action and its time stay."
            ),
        },
    )
