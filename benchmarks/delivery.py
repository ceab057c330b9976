"""How long a Brain Gain request takes to reach its contributor's mailbox, with a real worker.

    .venv/bin/python benchmarks/delivery.py [--requests 20] [--smoke]

A real SMTP server (aiosmtpd) listens on a free local port; ``celery -A config worker`` runs in
a child process on the embedded file broker and a fresh SQLite database, with Django's SMTP
backend pointed at that server.  An institution sends ``--requests`` requests, one after the
other, each to a different contributor; for each we time from the service call (the seeker
pressing "Send") to the message being accepted by the SMTP server (median and worst of the run).

Baseline, same run: the same email handed straight to the same server from this process
(``email_send``), the floor that any queued delivery adds to.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rabta.core.testing import celery_start, platform_env, process_stop  # noqa: E402


class Inbox:
    """The SMTP server's side: when each message arrived, by recipient."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.changed = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.changed:
            for to in envelope.rcpt_tos:
                self.arrived.setdefault(to, time.perf_counter())
            self.changed.notify_all()
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 60) -> float:
        with self.changed:
            self.changed.wait_for(lambda: to in self.arrived, timeout)
        return self.arrived[to]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="three requests: seconds")
    args = parser.parse_args()
    count = 3 if args.smoke else args.requests
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    inbox = Inbox()
    port = _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    tmp = Path(tempfile.mkdtemp())
    env = platform_env(
        tmp,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        _measure(inbox, env, tmp, count)
    finally:
        server.stop()


def _measure(inbox: Inbox, env: dict[str, str], tmp: Path, count: int) -> None:
    from rabta.braingain import services
    from rabta.braingain.tests.conftest import contributor, institution_rep, post_ask
    from rabta.core.emails import email_send

    print(f"load average {os.getloadavg()[0]:.2f} · {count} requests · SQLite, file broker")
    seekers = [institution_rep() for _ in range(count + 1)]  # three open requests each at most
    asks = [post_ask(rep, institution_id=institution.pk) for rep, institution in seekers]
    people = [contributor() for _ in range(count + 1)]
    queues = "celery,email"
    worker = celery_start(
        env, "worker", "-Q", queues, "-c", "1", "-l", "WARNING", log=tmp / "w.log"
    )
    try:
        # the worker's first task loads Django's templates: not counted
        services.request_send(user=seekers[0][0], ask_id=asks[0].pk, contributor_id=people[0].pk)
        inbox.wait_for(people[0].email, timeout=120)
        queued = []
        for (rep, _), ask, person in zip(seekers[1:], asks[1:], people[1:], strict=True):
            began = time.perf_counter()
            services.request_send(user=rep, ask_id=ask.pk, contributor_id=person.pk)
            queued.append(inbox.wait_for(person.email) - began)
    finally:
        process_stop(worker)
    direct = []
    for n in range(count):
        to = f"direct-{n}@example.org"
        began = time.perf_counter()
        email_send(to=to, subject="A request for you", body="Please answer by Friday.")
        direct.append(inbox.wait_for(to) - began)
    median, worst = statistics.median(queued), max(queued)
    print(
        f"request sent -> email at the SMTP server: median {median * 1000:7.0f} ms,"
        f" worst {worst * 1000:7.0f} ms (n={count})"
    )
    print(
        f"baseline, handed straight to the server:  median {statistics.median(direct) * 1000:7.0f} ms"
    )
    print(f"queued delivery / direct: {median / statistics.median(direct):.1f}x")


if __name__ == "__main__":
    main()
