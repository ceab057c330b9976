"""The two batch commands on 1,000 inputs, model load included (aim: under 30 s each on two
cores), against the same commands on 100 inputs in the same run: the difference separates the
fixed cost (loading the model, vectors and indexes) from the cost per input.

Inputs are written from the pathway catalogue: CV-style sentences for ``link_skills`` and
posting-style title and description pairs for ``classify_postings``.
"""

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
    rows = []
    for n in range(count):
        p = rng.choice(pathways())
        skills = ", ".join(s.label for s in rng.sample(list(p.essential_skills), k=3))
        tools = " and ".join(rng.sample(list(p.tools), k=min(2, len(p.tools))))
        deliverable = rng.choice(p.deliverables)
        if kind == "link":
            text = f"Experienced in {skills}; delivered {deliverable.lower()} using {tools}."
            rows.append({"id": str(n), "text": text})
        else:
            description = (
                f"We need {deliverable.lower()}. The freelancer must know {skills} and use "
                f"{tools}. Fixed price, first milestone funded on approval of a sample sheet. "
                f"Please describe similar projects and your availability this month."
            )
            rows.append({"id": str(n), "title": f"{p.title} needed", "description": description})
    return rows


def run(command: str, rows: list[dict[str, str]], folder: Path) -> tuple[float, float]:
    source, target = folder / f"{command}-{len(rows)}.jsonl", folder / "out.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's development default
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", command, "--input", str(source), "--output", str(target)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    written = sum(1 for _ in target.open(encoding="utf-8"))
    if written != len(rows):
        raise SystemExit(f"{command} wrote {written} lines for {len(rows)} inputs")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    rng = random.Random(11)
    for command, kind in (("link_skills", "link"), ("classify_postings", "classify")):
        small, _ = run(command, inputs(100, kind, rng), folder)
        large, peak = run(command, inputs(1000, kind, rng), folder)
        per_input = (large - small) / 900
        fixed = small - 100 * per_input
        print(
            f"{command:18} 1,000 inputs {large:5.1f} s (aim < 30 s); 100 inputs {small:5.1f} s; "
            f"fixed cost {fixed:4.1f} s, {per_input * 1000:5.1f} ms per input; "
            f"peak memory so far {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
