"""Seeding cost: 10,000 engineers against 1,000 in the same run (each in a fresh database);
the per-engineer cost should stay flat, and 10,000 must take under a minute."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed(engineers: int) -> float:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SQLITE_PATH": str(Path(tempfile.mkdtemp()) / "seed.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    run = [sys.executable, "manage.py"]
    subprocess.run([*run, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    start = time.perf_counter()
    subprocess.run(
        [*run, "seed_demo", "--engineers", str(engineers)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    small, large = seed(1_000), seed(10_000)
    print(f"seed_demo  1,000 engineers: {small:5.1f} s ({small / 1_000 * 1000:.2f} ms each)")
    print(f"seed_demo 10,000 engineers: {large:5.1f} s ({large / 10_000 * 1000:.2f} ms each)")
    print(f"per-engineer cost ratio (10k / 1k): {(large / 10_000) / (small / 1_000):.2f}")


if __name__ == "__main__":
    main()
