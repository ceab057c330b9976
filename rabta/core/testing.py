"""Test helpers shared by the apps' test suites and the benchmarks: a race of many threads, a
real SMTP server for the email tests (the ``smtp_server`` and ``failing_smtp_server`` fixtures,
which the root conftest makes available everywhere), and Rabta's own worker and beat run as
child processes."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
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


class SmtpCollector:
    """An aiosmtpd handler that keeps each message it accepts, parsed, and answers the first
    ``failures`` DATA commands with a temporary failure (451), as a busy mail server does."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.refused = 0
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.failures > 0:
            self.failures -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _smtp(settings: Any, failures: int) -> Iterator[SmtpCollector]:
    from aiosmtpd.controller import Controller

    collector = SmtpCollector(failures)
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpCollector]:
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it; its
    ``messages`` are what it received."""
    yield from _smtp(settings, failures=0)


@pytest.fixture
def failing_smtp_server(settings: Any) -> Iterator[SmtpCollector]:
    """The same server, refusing the first two DATA commands with 451 (set ``failures`` to
    refuse more)."""
    yield from _smtp(settings, failures=2)


# --- the platform's own processes, for tests and benchmarks that run a real worker and beat ---

ROOT = Path(__file__).resolve().parents[2]


def platform_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of child processes that run Rabta as ``make run`` does (development
    settings, the embedded file broker), on an SQLite database, broker and mail log of their own
    under ``folder``; no Redis or PostgreSQL from the caller's environment leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="",
        REDIS_URL="",
        CELERY_BROKER_URL="",
        SQLITE_PATH=str(folder / "rabta.sqlite3"),
        BROKER_PATH=str(folder / "broker"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
        SUGGESTER_WARM="0",
    )
    env.update(extra)
    return env


def celery_start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    """``celery -A config <args>`` (a worker, beat) in its own process group, logging to
    ``log``."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def process_stop(process: subprocess.Popen[bytes], *, wait: float = 15) -> None:
    """Stop a process group started by ``celery_start``: a warm shutdown, then a kill."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
