"""Forum page weight and cost: a discussion with 200 replies, against one with a single reply
(the baseline, same run).  Prints, for each page: SQL queries, server time p50 / p95 over 30
renders, and transfer size with every asset it loads, gzip-compressed as a proxy would send it,
against the 100 KB budget."""

import gzip
import logging
import random
import statistics
import time

from _setup import django_ready

django_ready()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from page_weight import BUDGET, weigh  # noqa: E402

from rabta.accounts.roles import Role  # noqa: E402
from rabta.accounts.tests.factories import (  # noqa: E402
    ContributorProfileFactory,
    EngineerProfileFactory,
    user_with_role,
)
from rabta.community import services  # noqa: E402
from rabta.community.models import Category, Member, TrustLevel  # noqa: E402

RUNS = 30
WORDS = [
    "inverter",
    "ratio",
    "panel",
    "string",
    "voltage",
    "client",
    "proposal",
    "drawing",
    "review",
    "load",
    "margin",
    "site",
    "design",
    "contract",
    "milestone",
    "hourly",
    "fixed",
    "scope",
    "delivery",
    "feedback",
    "standard",
    "code",
    "check",
]


def reply_text(rng: random.Random) -> str:
    """A realistic reply: two short paragraphs, sometimes a list, a link or code."""
    words = [rng.choice(WORDS) for _n in range(rng.randint(30, 70))]
    text = " ".join(words[:20]).capitalize() + ".\n\n" + " ".join(words[20:]) + "."
    if rng.random() < 0.3:
        text += "\n\n- **first**: check the datasheet\n- *second*: ask the client"
    if rng.random() < 0.2:
        text += "\n\nSee [the guide](https://example.org/guide)."
    if rng.random() < 0.1:
        text += "\n\n`DC/AC = 1.2`"
    return text


def measure(client: Client, url: str) -> tuple[int, float, float]:
    # counted by a wrapper on the connection: the request closes and reopens the connection,
    # which a captured query log would not survive
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _n in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return len(queries), statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per notification task
    rng = random.Random(8)
    people = [ContributorProfileFactory().user for _n in range(30)]
    people += [EngineerProfileFactory().user for _n in range(10)]
    for person in people:
        member = services.member_ensure(user=person)
        Member.objects.filter(pk=member.pk).update(
            trust_level=TrustLevel.TRUSTED, trust_locked=True
        )
    category = Category.objects.get(slug="freelancing")
    baseline = services.thread_create(
        user=people[0], category=category, title="A short discussion", body=reply_text(rng)
    )
    services.reply_create(user=people[1], thread=baseline, body=reply_text(rng))
    long = services.thread_create(
        user=people[0],
        category=category,
        title="Your first international engagement: share how you got it",
        body=reply_text(rng),
    )
    for n in range(200):
        services.reply_create(user=people[(n % 39) + 1], thread=long, body=reply_text(rng))
    for n in range(40):  # a full first page of discussions in the forum
        services.thread_create(
            user=people[n % 40], category=category, title=f"Discussion {n}", body=reply_text(rng)
        )

    reader = EngineerProfileFactory().user
    moderator = user_with_role(Role.MODERATOR)
    pages = [
        ("thread, 1 reply (baseline)", f"/community/threads/{baseline.pk}/", reader),
        ("thread, 200 replies, page 1", f"/community/threads/{long.pk}/", reader),
        ("thread, 200 replies, page 5", f"/community/threads/{long.pk}/?page=5", reader),
        ("thread, 200 replies, moderator", f"/community/threads/{long.pk}/", moderator),
        ("forum list (30 discussions)", "/community/forums/freelancing/", reader),
    ]
    client = Client()
    rows = []
    for label, url, viewer in pages:
        client.force_login(viewer)
        queries, p50, p95 = measure(client, url)
        compressed, raw, parts = weigh(client, url)
        html = client.get(url).content
        rows.append((label, queries, p50, p95, compressed, raw, len(gzip.compress(html, 9))))
    base = rows[0]
    print(
        f"{'page':34} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'html gz':>8} {'total gz':>9} "
        f"{'raw':>8}  vs baseline / budget"
    )
    for label, queries, p50, p95, compressed, raw, html_gz in rows:
        print(
            f"{label:34} {queries:7d} {p50:7.1f} {p95:7.1f} {html_gz / 1024:6.1f}KB "
            f"{compressed / 1024:7.1f}KB {raw / 1024:6.1f}KB  "
            f"x{compressed / base[4]:.2f} size, x{p50 / base[2]:.2f} time; "
            f"{compressed / BUDGET:.0%} of 100 KB"
        )
    all_pages = sum(
        len(gzip.compress(client.get(f"/community/threads/{long.pk}/?page={n}").content, 9))
        for n in range(1, 6)
    )
    print(f"reading all 201 posts (5 pages of HTML, assets cached): {all_pages / 1024:.1f} KB gz")


if __name__ == "__main__":
    main()
