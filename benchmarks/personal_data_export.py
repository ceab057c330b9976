"""The personal data download for the busiest person of the demo: archive size, time, the apps
it covers.

    .venv/bin/python benchmarks/personal_data_export.py [--engineers 2000] [--smoke]

Seeds the demo (``seed_demo``) into a throwaway SQLite file, finds the person with the most rows
pointing at them (every foreign key to the user in every rabta app, as the registry's coverage
test walks them), and times building their zip archive (``archive_build``: every app's JSON and
their files, PDFs made afresh), median of 3.  Baseline, same run: the same archive for a person
with nothing but an account (the fixed cost of walking every app).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_ready  # noqa: E402


def _busiest(*, engineers_only: bool = False) -> tuple[Any, int]:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from rabta.core.personal_data import user_foreign_keys

    rows: Counter[int] = Counter()
    for config in apps.get_app_configs():
        if not config.name.startswith("rabta."):
            continue
        for model in config.get_models():
            for column in user_foreign_keys(model):
                if column.many_to_many:
                    continue
                counts = (
                    model._default_manager.exclude(**{f"{column.attname}__isnull": True})
                    .values_list(column.attname)
                    .order_by()
                )
                for user_id, count in counts.annotate(n=Count("pk")):
                    rows[user_id] += count
    people = get_user_model().objects.filter(pk__in=list(rows))
    if engineers_only:
        people = people.filter(engineer_profile__isnull=False)
    user_id = max(people.values_list("pk", flat=True), key=lambda pk: (rows[pk], -pk))
    return get_user_model().objects.get(pk=user_id), rows[user_id]


def _timed(user: Any) -> tuple[float, bytes]:
    from rabta.core.personal_data import archive_build

    times, content = [], b""
    for _ in range(3):
        start = time.perf_counter()
        content = archive_build(user)
        times.append(time.perf_counter() - start)
    return statistics.median(times), content


def _per_app(user: Any) -> list[tuple[str, float, int]]:
    from rabta.core.personal_data import json_bytes, sections

    out = []
    for section in sections():
        start = time.perf_counter()
        size = len(json_bytes(section.export(user), zone=user.zone))
        files = list(section.files(user)) if section.files else []
        size += sum(len(c) for _n, c in files)
        out.append((section.app, time.perf_counter() - start, size))
    return out


def _report(user: Any) -> None:
    median, content = _timed(user)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    apps_covered = sorted(n.removesuffix(".json") for n in names if n.endswith(".json"))
    files = [n for n in names if n.startswith("files/")]
    print(f"  archive: {len(content):,} bytes, {len(names)} entries ({len(files)} files)")
    print(f"  apps: {', '.join(apps_covered)}")
    print(f"  build time, median of 3: {median * 1000:.0f} ms")
    for app, seconds, size in _per_app(user):
        print(f"    {app:10s} {seconds * 1000:7.0f} ms  {size:>10,} bytes uncompressed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engineers", type=int, default=2000)
    parser.add_argument("--contributors", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="300 engineers, 40 contributors")
    args = parser.parse_args()
    if args.smoke:
        args.engineers, args.contributors = 300, 40
    django_ready()
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.core.management import call_command

    from rabta.accounts.models import User

    start = time.perf_counter()
    call_command(
        "seed_demo",
        engineers=args.engineers,
        contributors=args.contributors,
        i_know_this_is_not_production=True,
        stdout=io.StringIO(),
    )
    print(f"seeded {args.engineers} engineers, {args.contributors} contributors")
    print(f"  in {time.perf_counter() - start:.1f} s")
    for engineers_only in (False, True):
        user, rows = _busiest(engineers_only=engineers_only)
        who = "busiest engineer" if engineers_only else "busiest person"
        print(f"{who}: {user.email} ({rows} rows point at them)")
        _report(user)
    empty = User.objects.create_user(email="nobody-bench@example.org", display_name="Nobody")
    baseline, small = _timed(empty)
    print(
        f"baseline (an account with nothing else): {baseline * 1000:.0f} ms, {len(small):,} bytes"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
