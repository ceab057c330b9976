"""Test helpers shared by the apps' test suites."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import close_old_connections, connection

THREADS = 40  # PostgreSQL's default max_connections is 100; every thread holds one


def race(workers: Iterable[Any], claim: Callable[[Any], Any]) -> list[Any]:
    """Run ``claim`` for every worker from up to THREADS threads released at the same instant,
    each on its own database connection; returns every outcome."""
    items = list(workers)
    lanes = [items[i::THREADS] for i in range(min(THREADS, len(items)))]
    barrier = threading.Barrier(len(lanes))
    results: list[Any] = []
    lock = threading.Lock()

    def run(lane: list[Any]) -> None:
        outcomes = []
        try:
            barrier.wait()
            outcomes = [claim(worker) for worker in lane]
        finally:
            close_old_connections()
            connection.close()
        with lock:
            results.extend(outcomes)

    threads = [threading.Thread(target=run, args=(lane,)) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
