"""Median cost of one password hash: Rabta's tuned Argon2id against Django's default Argon2
parameters, measured in the same run on the same machine.

    .venv/bin/python benchmarks/password_hashing.py          # 15 hashes each
    .venv/bin/python benchmarks/password_hashing.py --smoke  # 3 hashes each (CI)

Either way it fails (exit status 1) unless, with the production list of hashers, every tuned hash
is Argon2id with the tuned parameters and verifies (a wrong password does not), and a hash made
with Django's defaults still verifies and is upgraded to the tuned parameters.  Speed is not
judged.
"""

import argparse
import os
import statistics
import time

from _setup import django_ready

django_ready()

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.test import override_settings  # noqa: E402

from config.settings import base  # noqa: E402
from rabta.accounts.hashers import TunedArgon2PasswordHasher  # noqa: E402


def median_ms(hasher: Argon2PasswordHasher, rounds: int) -> tuple[float, list[tuple[str, str]]]:
    timings, made = [], []
    for n in range(rounds):
        password = f"passphrase-{n}"
        start = time.perf_counter()
        encoded = hasher.encode(password, hasher.salt())
        timings.append((time.perf_counter() - start) * 1000)
        made.append((password, encoded))
    return statistics.median(timings), made


def checked(tuned: list[tuple[str, str]], default: list[tuple[str, str]]) -> list[str]:
    """What is wrong with the hashes, checked as the site checks them (production hashers; the
    test settings swap in MD5 for speed)."""
    failures = []
    t = TunedArgon2PasswordHasher()
    params = f"$argon2id$v=19$m={t.memory_cost},t={t.time_cost},p={t.parallelism}$"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        if not isinstance(identify_hasher(make_password("x")), TunedArgon2PasswordHasher):
            failures.append("make_password does not use the tuned hasher")
        for password, encoded in tuned:
            if params not in encoded:
                failures.append(f"tuned hash without the tuned parameters: {encoded}")
            upgraded: list[str] = []
            if not check_password(password, encoded, setter=upgraded.append):
                failures.append(f"tuned hash does not verify: {encoded}")
            if upgraded:
                failures.append(f"a tuned hash was marked for upgrade: {encoded}")
            if check_password(password + "!", encoded):
                failures.append(f"tuned hash verifies a wrong password: {encoded}")
        for password, encoded in default:
            upgraded = []
            if not check_password(password, encoded, setter=upgraded.append):
                failures.append(f"default-parameter hash does not verify: {encoded}")
            elif not upgraded:
                failures.append(f"default-parameter hash not upgraded at login: {encoded}")
            else:
                fresh = make_password(password)
                if params not in fresh or not check_password(password, fresh):
                    failures.append(f"upgrade does not give a tuned hash: {fresh}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    args = parser.parse_args()
    rounds = 3 if args.smoke else 15
    print(f"load average {os.getloadavg()[0]:.2f}")
    default, default_made = median_ms(Argon2PasswordHasher(), rounds)
    tuned, tuned_made = median_ms(TunedArgon2PasswordHasher(), rounds)
    d, t = Argon2PasswordHasher(), TunedArgon2PasswordHasher()
    print(
        f"Django default argon2 (m={d.memory_cost} KiB, t={d.time_cost}, p={d.parallelism}): "
        f"median {default:.1f} ms"
    )
    print(
        f"Rabta tuned argon2id  (m={t.memory_cost} KiB, t={t.time_cost}, p={t.parallelism}): "
        f"median {tuned:.1f} ms"
    )
    print(
        f"tuned / default = {tuned / default:.2f}; logins per core per second: "
        f"{1000 / default:.0f} -> {1000 / tuned:.0f}"
    )
    failures = checked(tuned_made, default_made)
    if failures:
        raise SystemExit("FAILED:\n  " + "\n  ".join(failures))
    print(f"checks passed: {2 * rounds} hashes verify; default-parameter hashes are upgraded")


if __name__ == "__main__":
    main()
