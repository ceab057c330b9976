"""Median cost of one password hash: Rabta's tuned Argon2id against Django's default Argon2
parameters, measured in the same run on the same machine."""

import statistics
import time

from _setup import django_ready

django_ready()

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402

from rabta.accounts.hashers import TunedArgon2PasswordHasher  # noqa: E402

ROUNDS = 15


def median_ms(hasher: Argon2PasswordHasher) -> float:
    timings = []
    for n in range(ROUNDS):
        start = time.perf_counter()
        hasher.encode(f"passphrase-{n}", hasher.salt())
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    default = median_ms(Argon2PasswordHasher())
    tuned = median_ms(TunedArgon2PasswordHasher())
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


if __name__ == "__main__":
    main()
