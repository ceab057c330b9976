"""Seeding cost: 10,000 engineers against 1,000 in the same run (each in a fresh database);
the per-engineer cost should stay flat, and 10,000 must take under a minute.

    .venv/bin/python benchmarks/seed_demo.py          # 1,000 and 10,000 engineers
    .venv/bin/python benchmarks/seed_demo.py --smoke  # 200 engineers, 20 contributors (CI)

Either way it fails (exit status 1) unless each database holds what ``seed_demo`` said it seeded
(the engineers and contributors asked for, plus the named demo accounts, every institution),
the demo password opens the named accounts, and a second ``seed_demo`` changes nothing.  The
smoke run does not judge speed (most of its time is the fixed cost of classifying the demo's
postings with the language model).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run with ``manage.py shell -c`` in the seeded database: what is there, then seed_demo again
# and what is there after it, as JSON.
COUNTS = """
import io
import json
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.contrib.auth.hashers import check_password
from rabta.accounts.demo import DEMO_PASSWORD
from rabta.accounts.demo_material import DEMO_DOMAIN, INSTITUTIONS, NAMED_ACCOUNTS
from rabta.accounts.models import ContributorProfile, EngineerProfile
User = get_user_model()
named = User.objects.filter(email__in=[f"{a[0]}@{DEMO_DOMAIN}" for a in NAMED_ACCOUNTS])
def counts():
    return {
        "users": User.objects.count(),
        "engineers": EngineerProfile.objects.count(),
        "contributors": ContributorProfile.objects.count(),
        "named": named.count(),
    }
before = counts()
again = io.StringIO()
call_command("seed_demo", engineers=7, contributors=3, stdout=again)
print(json.dumps({
    **before,
    "named_expected": len(NAMED_ACCOUNTS),
    "institutions_expected": len(INSTITUTIONS),
    "password_opens": all(check_password(DEMO_PASSWORD, u.password) for u in named),
    "again_said": again.getvalue()[:300],
    "again_changed": counts() != before,
}))
"""


def seed(engineers: int, contributors: int | None = None) -> tuple[float, list[str]]:
    """Seeds a fresh database; returns the time and what is wrong with the result."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SQLITE_PATH": str(Path(tempfile.mkdtemp()) / "seed.sqlite3"),
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("DATABASE_URL", None)
    run = [sys.executable, "manage.py"]
    subprocess.run([*run, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    command = [*run, "seed_demo", "--engineers", str(engineers)]
    if contributors is not None:
        command += ["--contributors", str(contributors)]
    start = time.perf_counter()
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if first.returncode:
        raise SystemExit(f"seed_demo failed ({first.returncode}):\n{first.stderr[-3000:]}")

    failures = []
    said = re.search(
        r"Seeded (\d+) engineers, (\d+) contributors and (\d+) institutions", first.stdout
    )
    if said is None:
        return elapsed, [f"seed_demo did not say what it seeded: {first.stdout[:500]!r}"]
    said_engineers, said_contributors, said_institutions = map(int, said.groups())
    out = subprocess.run(
        [*run, "shell", "-c", COUNTS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"counting the seeded rows failed:\n{out.stderr[-3000:]}")
    there = json.loads(out.stdout.strip().splitlines()[-1])
    if said_engineers != engineers:
        failures.append(f"asked for {engineers} engineers, seeded {said_engineers}")
    if contributors is not None and said_contributors != contributors:
        failures.append(f"asked for {contributors} contributors, seeded {said_contributors}")
    if said_institutions != there["institutions_expected"]:
        failures.append(f"{said_institutions} institutions, {there['institutions_expected']} known")
    if there["named"] != there["named_expected"]:
        failures.append(f"{there['named']} of {there['named_expected']} named accounts")
    # the named demo engineer and contributor come on top of the ones asked for
    if there["engineers"] != said_engineers + 1:
        failures.append(f"{there['engineers']} engineer profiles for {said_engineers} seeded")
    if there["contributors"] != said_contributors + 1:
        failures.append(
            f"{there['contributors']} contributor profiles for {said_contributors} seeded"
        )
    if not there["password_opens"]:
        failures.append("the demo password does not open the named accounts")
    if "already loaded" not in there["again_said"]:
        failures.append(f"a second seed_demo did not stop: {there['again_said']!r}")
    if there["again_changed"]:
        failures.append("a second seed_demo changed the data")
    return elapsed, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small, for CI")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    if args.smoke:
        took, failures = seed(200, 20)
        print(f"seed_demo 200 engineers, 20 contributors: {took:5.1f} s")
    else:
        (small, small_failures), (large, large_failures) = seed(1_000), seed(10_000)
        failures = small_failures + large_failures
        print(f"seed_demo  1,000 engineers: {small:5.1f} s ({small / 1_000 * 1000:.2f} ms each)")
        print(f"seed_demo 10,000 engineers: {large:5.1f} s ({large / 10_000 * 1000:.2f} ms each)")
        print(f"per-engineer cost ratio (10k / 1k): {(large / 10_000) / (small / 1_000):.2f}")
    if failures:
        raise SystemExit("FAILED:\n  " + "\n  ".join(failures))
    print("checks passed: the counts match, the demo password opens, a second seed is a no-op")


if __name__ == "__main__":
    main()
