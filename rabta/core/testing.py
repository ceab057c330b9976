"""Test helpers shared by the apps' test suites: a race of many threads, and a real SMTP
server for the email tests (the ``smtp_server`` and ``failing_smtp_server`` fixtures, which
the root conftest makes available everywhere)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from email.message import EmailMessage
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
