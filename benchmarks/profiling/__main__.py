"""Profiling benchmark: model load time and peak memory, per-person profile computation (p50,
p95), and re-profiling 5,000 participants in one batch.

    .venv/bin/python benchmarks/profiling [--people 5000] [--sample 300] [--smoke]

Baselines in the same run: Django alone for load time and memory; the engine with exact skill
matching only (no vector similarity) for the per-person cost; the single-person median times
the batch size for the batch.  Uses its own SQLite database in a temporary folder.

It checks, and exits non-zero otherwise, that the model loaded links the sample sentence to
skills, that every participant's latest assessment is re-profiled by the batch with today's
engine, and that the batch stores for each sampled person what profiling them alone stores.
``--smoke`` (CI): 60 people, a sample of 10: seconds, and speed is not judged.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LOAD = """
import json, resource, time
started = time.perf_counter()
import django
django.setup()
{body}
print(json.dumps({{"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
MODEL = """
from rabta.profiling.linker import skill_linker
from rabta.profiling.similarity import skill_similarity
assert skill_linker().link("Prepared AutoCAD drawings and Revit models", 10), "no skill linked"
skill_similarity()(["x"], ["y"])
"""


def environment(sqlite: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SQLITE_PATH": str(sqlite),
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def load(env: dict[str, str], body: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", LOAD.format(body=body)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="60 people, 10 sampled (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.sample = 60, 10
    print(
        f"load average {os.getloadavg()[0]:.2f}"
        + (" · smoke: correctness only, speed not judged" if args.smoke else "")
    )
    folder = Path(tempfile.mkdtemp())
    env = environment(folder / "bench.sqlite3")
    os.environ.update(env)
    for key in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)

    bare, model = load(env, ""), load(env, MODEL)
    print(f"load: Django alone {bare['seconds']:.2f} s, {bare['peak_mb']:.0f} MB peak")
    print(
        f"load: with the skill linker and vectors {model['seconds']:.2f} s, "
        f"{model['peak_mb']:.0f} MB peak (model and indexes: "
        f"+{model['seconds'] - bare['seconds']:.2f} s, "
        f"+{model['peak_mb'] - bare['peak_mb']:.0f} MB)"
    )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max
    from django.utils import timezone

    from rabta.accounts.models import EngineerProfile
    from rabta.engine import scoring
    from rabta.engine.pathways import pathways
    from rabta.profiling import services
    from rabta.profiling.demo import assessments_create
    from rabta.profiling.models import Assessment, AssessmentState, ProfileResult

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", engineers=args.people, contributors=10, stdout=quiet)
    assessed = set(Assessment.objects.values_list("user_id", flat=True))
    rest = [
        p
        for p in EngineerProfile.objects.order_by("pk").values_list("user_id", "discipline")
        if p[0] not in assessed
    ][: max(0, args.people - len(assessed))]
    assessments_create(random.Random(7), rest, timezone.now())
    total = Assessment.objects.count()
    print(f"set-up: {total} completed assessments in {time.perf_counter() - started:.1f} s")

    sample = list(
        Assessment.objects.filter(state=AssessmentState.COMPLETED).order_by("?")[: args.sample]
    )
    if not sample:
        raise SystemExit("FAILED: no completed assessment to profile")
    exact = scoring.Scorer(pathways())
    engine_only, exact_only, full = [], [], []
    disciplines = dict(EngineerProfile.objects.values_list("user_id", "discipline"))
    scorer = services.scorer_current()
    for assessment in sample:
        person = services.person_from(assessment, disciplines.get(assessment.user_id, ""))
        t = time.perf_counter()
        exact.score(person)
        exact_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        scorer.score(person)
        engine_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        services.result_compute(assessment)  # what finishing the assessment runs
        full.append(time.perf_counter() - t)

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name:48} p50 {statistics.median(values) * 1000:6.1f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms"
        )

    print(f"per person ({len(sample)} people):")
    print(line("  baseline: engine, exact skill matching only", exact_only))
    print(line("  engine with related-skill similarity", engine_only))
    print(line("  whole profile (database, demand, scoring)", full))
    print(
        f"  ratio engine / baseline (medians): "
        f"{statistics.median(engine_only) / statistics.median(exact_only):.2f}"
    )

    # what profiling each sampled person alone stored (their latest assessment only: the
    # batch re-profiles no other)
    latest = {
        row["user_id"]: row["last"]
        for row in Assessment.objects.filter(state=AssessmentState.COMPLETED)
        .values("user_id")
        .annotate(last=Max("number"))
    }
    alone = {
        a.pk: ProfileResult.objects.get(assessment=a).pathways
        for a in sample
        if latest.get(a.user_id) == a.number
    }
    batch_began = timezone.now()
    t = time.perf_counter()
    done = services.results_recompute()
    batch = time.perf_counter() - t
    single = statistics.median(full)
    fresh = ProfileResult.objects.filter(
        engine_version=scoring.VERSION, computed_at__gte=batch_began
    ).values_list("assessment__user_id", "assessment__number")
    problems = []
    if done != len(latest) or dict(fresh) != latest:
        problems.append(
            f"the batch re-profiled {done} ({len(fresh)} stored) of {len(latest)} participants"
        )
    differ = [
        pk
        for pk, pathways in alone.items()
        if ProfileResult.objects.get(assessment_id=pk).pathways != pathways
    ]
    if differ:
        problems.append(f"{len(differ)} sampled people stored otherwise by the batch than alone")
    print(
        f"re-profile {done} participants in one batch: {batch:.1f} s "
        f"({batch / done * 1000:.2f} ms each; one at a time would take about "
        f"{single * done:.1f} s, ratio {batch / (single * done):.2f})"
    )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print(
        f"checked: all {done} participants re-profiled with engine {scoring.VERSION}; "
        f"{len(alone)} sampled stored the same by the batch as alone"
    )


if __name__ == "__main__":
    main()
