"""The two batch commands on 1,000 inputs, model load included (aim: under 30 s each on two
cores), against the same commands on 100 inputs in the same run: the difference separates the
fixed cost (loading the model, vectors and indexes) from the cost per input.

Inputs are written from the pathway catalogue: CV-style sentences for ``link_skills`` and
posting-style title and description pairs for ``classify_postings``.

    .venv/bin/python benchmarks/linking.py          # 100 and 1,000 inputs per command
    .venv/bin/python benchmarks/linking.py --smoke  # 20 inputs and a malformed line (CI)

Either way, every output line must answer its input line, in order, with ranked results; the
smoke run also checks that the text's own pathway comes back (the skills it names, the pathway
the posting was written from) for most inputs, and that the malformed line is reported and
skipped.  Speed is not judged in smoke mode.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rabta.engine.pathways import pathways  # noqa: E402


def inputs(count: int, kind: str, rng: random.Random) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for n in range(count):
        p = rng.choice(pathways())
        skills = ", ".join(s.label for s in rng.sample(list(p.essential_skills), k=3))
        tools = " and ".join(rng.sample(list(p.tools), k=min(2, len(p.tools))))
        deliverable = rng.choice(p.deliverables)
        if kind == "link":
            text = f"Experienced in {skills}; delivered {deliverable.lower()} using {tools}."
            rows.append({"id": str(n), "text": text, "_pathway": p.slug, "_skills": skills})
        else:
            description = (
                f"We need {deliverable.lower()}. The freelancer must know {skills} and use "
                f"{tools}. Fixed price, first milestone funded on approval of a sample sheet. "
                f"Please describe similar projects and your availability this month."
            )
            rows.append(
                {
                    "id": str(n),
                    "title": f"{p.title} needed",
                    "description": description,
                    "_pathway": p.slug,
                }
            )
    return rows


def run(
    command: str, rows: list[dict[str, str]], folder: Path, *, malformed: bool = False
) -> tuple[float, float, list[dict]]:  # type: ignore[type-arg]
    """Runs ``command`` on ``rows`` (keys starting with ``_`` are kept back: they are the
    answers); with ``malformed``, a broken line goes in the middle, to be reported and skipped.
    Returns the time, the peak memory of the children so far and the output rows."""
    source, target = folder / f"{command}-{len(rows)}.jsonl", folder / "out.jsonl"
    lines = [json.dumps({k: v for k, v in r.items() if not k.startswith("_")}) for r in rows]
    if malformed:
        lines.insert(len(lines) // 2, '{"id": "broken", ')
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's development default
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", command, "--input", str(source), "--output", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{command} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    out = [json.loads(line) for line in target.open(encoding="utf-8")]
    if len(out) != len(rows):
        raise SystemExit(f"{command} wrote {len(out)} lines for {len(rows)} inputs")
    if [o["id"] for o in out] != [r["id"] for r in rows]:
        raise SystemExit(f"{command} answered out of order or under the wrong ids")
    if malformed and f"line {len(lines) // 2 + 1}:" not in done.stderr:
        raise SystemExit(f"{command} did not report the malformed line: {done.stderr!r}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak, out


def ranked(scores: list[float]) -> bool:
    return bool(scores) and all(a >= b for a, b in zip(scores, scores[1:], strict=False))


def check(command: str, rows: list[dict[str, str]], out: list[dict]) -> str:  # type: ignore[type-arg]
    """Every answer ranked best first; for most inputs the text's own pathway (or, for skills,
    one of the three skills it names) among the answers.  Returns a one-line summary."""
    hits = 0
    for row, answer in zip(rows, out, strict=True):
        if command == "link_skills":
            found = answer["skills"]
            named = {label.strip().casefold() for label in row["_skills"].split(", ")}
            hit = any(s["label"].casefold() in named for s in found)
        else:
            found = answer["pathways"]
            if not answer["occupations"] or not ranked([o["score"] for o in answer["occupations"]]):
                raise SystemExit(f"{command}: line {row['id']} has no ranked occupations")
            hit = row["_pathway"] in {p["slug"] for p in found}
        if not ranked([f["score"] for f in found]):
            raise SystemExit(f"{command}: line {row['id']} is not ranked best first: {found}")
        hits += hit
    if hits < 0.7 * len(rows):
        raise SystemExit(f"{command}: only {hits} of {len(rows)} inputs found their own pathway")
    return f"{hits} of {len(rows)} inputs found their own pathway"


def smoke(folder: Path, rng: random.Random) -> None:
    for command, kind in (("link_skills", "link"), ("classify_postings", "classify")):
        rows = inputs(20, kind, rng)
        elapsed, peak, out = run(command, rows, folder, malformed=True)
        print(
            f"{command:18} 20 inputs and a malformed line: {elapsed:5.1f} s; "
            f"{check(command, rows, out)}; malformed line reported and skipped; "
            f"peak memory so far {peak:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    folder = Path(tempfile.mkdtemp())
    rng = random.Random(11)
    if args.smoke:
        smoke(folder, rng)
        return
    for command, kind in (("link_skills", "link"), ("classify_postings", "classify")):
        small_rows, large_rows = inputs(100, kind, rng), inputs(1000, kind, rng)
        small, _, out = run(command, small_rows, folder)
        check(command, small_rows, out)
        large, peak, out = run(command, large_rows, folder)
        check(command, large_rows, out)
        per_input = (large - small) / 900
        fixed = small - 100 * per_input
        print(
            f"{command:18} 1,000 inputs {large:5.1f} s (aim < 30 s); 100 inputs {small:5.1f} s; "
            f"fixed cost {fixed:4.1f} s, {per_input * 1000:5.1f} ms per input; "
            f"peak memory so far {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
