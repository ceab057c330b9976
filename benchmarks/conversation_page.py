"""A conversation's page: a mentorship thread of 200 messages (the page shows the latest 50),
against the same page with one message (the baseline, same run).  Prints, for each page: SQL
queries, server time p50 / p95, the HTML in bytes and gzip-compressed, and the transfer size with
every asset it loads against the 100 KB budget; and the inbox of a person in 20 conversations.

    .venv/bin/python benchmarks/conversation_page.py          # 200 messages, 30 renders each
    .venv/bin/python benchmarks/conversation_page.py --smoke  # 60 messages, 3 renders (CI)
"""

import argparse
import gzip
import logging
import random
import statistics
import time

from _setup import django_ready

django_ready()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from page_weight import BUDGET, weigh  # noqa: E402

from rabta.accounts.models import User  # noqa: E402
from rabta.braingain import services  # noqa: E402
from rabta.braingain.models import Conversation, Mentorship  # noqa: E402
from rabta.braingain.tests.conftest import contributor, engineer, post_ask  # noqa: E402

WORDS = [
    "drawing",
    "load",
    "wind",
    "pile",
    "inverter",
    "array",
    "client",
    "site",
    "soil",
    "report",
    "review",
    "margin",
    "code",
    "check",
    "datasheet",
    "foundation",
    "portfolio",
    "proposal",
    "session",
    "question",
    "structure",
    "steel",
]


def message_text(rng: random.Random) -> str:
    """A chat-length message: a sentence or two, sometimes bold, a list or a link."""
    words = [rng.choice(WORDS) for _n in range(rng.randint(8, 45))]
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.2:
        text += " **Please check** before Saturday."
    if rng.random() < 0.1:
        text += "\n\n- first: the loads\n- second: the drawing"
    if rng.random() < 0.1:
        text += " See [the guide](https://example.org/guide)."
    return text


def matched(seeker: User) -> tuple[Conversation, User]:
    mentor = contributor()
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get(request=request)
    return Conversation.objects.get(mentorship=mentorship), mentor


def measure(client: Client, url: str, runs: int) -> tuple[int, float, float]:
    # counted on the connection itself: the request closes and reopens it
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return len(queries), statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    args = parser.parse_args()
    count, runs, inbox_size = (60, 3, 5) if args.smoke else (200, 30, 20)
    logging.getLogger("celery").setLevel(logging.WARNING)
    rng = random.Random(11)

    seeker = engineer()
    short, short_mentor = matched(seeker)
    services.message_send(user=short_mentor, conversation_id=short.pk, body=message_text(rng))
    long, long_mentor = matched(seeker)
    for n in range(count):  # through the service: rendered, checked and notified as in life
        author = seeker if n % 2 else long_mentor
        services.message_send(user=author, conversation_id=long.pk, body=message_text(rng))
    for _n in range(inbox_size - 2):
        other, someone = matched(seeker)
        services.message_send(user=someone, conversation_id=other.pk, body=message_text(rng))

    client = Client()
    client.force_login(seeker)
    pages = [
        ("thread, 1 message (baseline)", reverse("braingain:conversation", args=[short.pk])),
        (f"thread, {count} messages", reverse("braingain:conversation", args=[long.pk])),
        (f"inbox, {inbox_size} conversations", reverse("braingain:conversations")),
    ]
    rows = []
    for label, url in pages:
        queries, p50, p95 = measure(client, url, runs)
        compressed, _raw, _parts = weigh(client, url)
        html = client.get(url).content
        rows.append((label, queries, p50, p95, len(html), len(gzip.compress(html, 9)), compressed))
    base = rows[0]
    print(
        f"{'page':30} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'html':>9} {'html gz':>8} "
        f"{'total gz':>9}  vs baseline / budget"
    )
    for label, queries, p50, p95, html_raw, html_gz, total in rows:
        print(
            f"{label:30} {queries:7d} {p50:7.1f} {p95:7.1f} {html_raw / 1024:7.1f}KB "
            f"{html_gz / 1024:6.1f}KB {total / 1024:7.1f}KB  "
            f"x{total / base[6]:.2f} size, x{p50 / base[2]:.2f} time; {total / BUDGET:.0%} of 100 KB"
        )
    if rows[1][1] != base[1]:
        raise SystemExit(f"the thread's queries grew with its length: {base[1]} -> {rows[1][1]}")
    if rows[1][6] > BUDGET:
        raise SystemExit("the long thread is over the 100 KB budget")


if __name__ == "__main__":
    main()
